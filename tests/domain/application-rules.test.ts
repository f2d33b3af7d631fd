import { describe, expect, it } from 'vitest'
import {
  applicantPasswordProblem,
  checkApplication,
  nameProblem,
  problemsOf,
  requiredAttachments,
  type ApplicationForm,
  type RuleContext
} from '../../src-main/core/domain/application-rules'
import { idCheckChar } from '../../src-main/core/domain/id-number'

const ALL_KINDS = new Set(['id_front', 'id_back', 'licence', 'no_accident', 'photo', 'training_cert', 'old_certificate'])

function id(birth: string, gender: 'M' | 'F'): string {
  const first17 = `410105${birth.replaceAll('-', '')}01${gender === 'M' ? 3 : 4}`
  return first17 + idCheckChar(first17)
}

const ctx = (over: Partial<RuleContext> = {}): RuleContext => ({
  today: '2026-11-25',
  passengerClasses: ['A1', 'A3', 'B1'],
  freightClasses: ['A1', 'A2', 'B2'],
  maxAge: 60,
  minLicenceYears: 1,
  trainingSchool: undefined,
  attachments: ALL_KINDS,
  ...over
})

function form(over: Partial<ApplicationForm> = {}): ApplicationForm {
  const idNumber = over.idNumber ?? id('1985-03-12', 'M')
  return {
    category: 'passenger',
    applicationType: 'initial',
    name: '张伟',
    householdNonLocal: false,
    idIssuer: '郑州市公安局金水分局',
    idNumber,
    gender: 'M',
    birthDate: '1985-03-12',
    ethnicity: '01',
    education: '20',
    politicalStatus: '13',
    priorOccupation: '出租车司机',
    phone: '13812345678',
    licenceNonLocal: false,
    licenceIssuer: '郑州市公安局交通警察支队',
    licenceFileNo: '410100123456',
    licenceClasses: ['A1'],
    licenceFirstIssued: '2015-06-01',
    licenceIssued: '2021-06-01',
    licenceValidYears: '10',
    householdAddress: '河南省郑州市金水区花园路88号',
    currentAddress: '河南省郑州市经开区航海东路1296号',
    collectMethod: 'pickup',
    trainingMode: 'self',
    ...over
  }
}

const problems = (f: ApplicationForm, c: Partial<RuleContext> = {}) => problemsOf(checkApplication(f, ctx(c)))

describe('a complete form', () => {
  it('passes every rule, and the reviewer sees each rule as passed', () => {
    const checks = checkApplication(form(), ctx())
    expect(problemsOf(checks)).toEqual({})
    expect(checks.length).toBeGreaterThan(30)
    expect(checks.every((c) => c.ok)).toBe(true)
    expect(checks.map((c) => c.rule)).toContain('驾驶证初领满1年')
  })
  it('accepts a freight form with a non-local certificate scan', () => {
    expect(problems(form({ category: 'freight', licenceClasses: ['B2', 'C1'], vehicleClass: 'B2', trainingCertNonLocal: true }))).toEqual({})
  })
})

describe('the ID number and what it says', () => {
  it('rejects a wrong check digit (GB 11643 example)', () => {
    expect(problems(form({ idNumber: '110105194912310021', birthDate: '1949-12-31', gender: 'F' })).idNumber).toBe('身份证号校验位不正确')
  })
  it('rejects 17 characters', () => {
    expect(problems(form({ idNumber: id('1985-03-12', 'M').slice(0, 17) })).idNumber).toBe('身份证号应为18位，当前为17位')
  })
  it('requires birth date and gender to agree with the ID number', () => {
    const p = problems(form({ birthDate: '1985-03-13', gender: 'F' }))
    expect(p.birthDate).toBe('出生日期与身份证号不符（身份证号显示为1985-03-12）')
    expect(p.gender).toBe('性别与身份证号不符（身份证号显示为男）')
  })
  it('requires the account holder’s own ID number when the account is known', () => {
    expect(problems(form(), { accountIdNumber: id('1990-01-01', 'F') }).idNumber).toBe('身份证号须与注册账户的身份证号一致（只能为本人申请）')
  })
})

describe('age at application', () => {
  it('accepts 60 years and 364 days, refuses 61', () => {
    const sixty = id('1966-11-26', 'M')
    expect(problems(form({ idNumber: sixty, birthDate: '1966-11-26' })).birthDate).toBeUndefined()
    const sixtyOne = id('1965-11-25', 'M')
    expect(problems(form({ idNumber: sixtyOne, birthDate: '1965-11-25' })).birthDate).toBe('年龄61周岁，超过60周岁，不符合申请条件')
  })
  it('follows the setting', () => {
    expect(problems(form(), { maxAge: 40 }).birthDate).toBe('年龄41周岁，超过40周岁，不符合申请条件')
  })
})

describe('driving licence', () => {
  it('passenger: needs the licence for at least a year (11 months is not enough)', () => {
    expect(problems(form({ licenceFirstIssued: '2025-12-25', licenceIssued: '2025-12-25' })).licenceFirstIssued).toBe(
      '取得驾驶证须满1年（初领日期 2025-12-25，未满1年）'
    )
    expect(problems(form({ licenceFirstIssued: '2025-11-25', licenceIssued: '2025-11-25' })).licenceFirstIssued).toBeUndefined()
  })
  it('passenger: needs A1, A3 or B1 (from settings)', () => {
    expect(problems(form({ licenceClasses: ['C1'] })).licenceClasses).toBe('申请客运从业资格须持有 A1、A3、B1 驾驶证之一')
    expect(problems(form({ licenceClasses: ['C1'] }), { passengerClasses: ['C1'] }).licenceClasses).toBeUndefined()
  })
  it('freight: the class must be A1, A2 or B2 and on the licence', () => {
    const f = form({ category: 'freight', licenceClasses: ['C1'], vehicleClass: 'C1', trainingCertNonLocal: true })
    expect(problems(f).vehicleClass).toBe('货运准驾车型只能是 A1、A2、B2')
    const g = form({ category: 'freight', licenceClasses: ['A2'], vehicleClass: 'B2', trainingCertNonLocal: true })
    expect(problems(g).vehicleClass).toBe('驾驶证准驾车型中没有所选的 B2')
  })
  it('freight: no one-year rule', () => {
    const f = form({ category: 'freight', licenceClasses: ['B2'], vehicleClass: 'B2', trainingCertNonLocal: true, licenceFirstIssued: '2026-10-01', licenceIssued: '2026-10-01' })
    expect(problems(f)).toEqual({})
  })
  it('rejects unknown classes, a bad file number, future and impossible dates', () => {
    const p = problems(form({ licenceClasses: ['A1', 'Z9'], licenceFileNo: '4101', licenceIssued: '2027-01-01', licenceFirstIssued: '2015-02-30' }))
    expect(p.licenceClasses).toBe('未知的准驾车型：Z9')
    expect(p.licenceFileNo).toBe('档案编号应为12位数字')
    expect(p.licenceIssued).toBe('发证日期不能晚于今天')
    expect(p.licenceFirstIssued).toBe('初领日期不是有效日期（格式 YYYY-MM-DD）')
  })
  it('knows the calendar: 29 February only in a leap year, no month 13, no day 0', () => {
    const firstIssued = (d: string) => problems(form({ licenceFirstIssued: d, licenceIssued: '2025-06-01' })).licenceFirstIssued
    expect(firstIssued('2024-02-29')).toBeUndefined()
    for (const bad of ['2023-02-29', '2020-13-01', '2020-04-31', '2020-01-00', '2020-1-01', '20200101']) {
      expect(firstIssued(bad), bad).toBe('初领日期不是有效日期（格式 YYYY-MM-DD）')
    }
  })
})

describe('other fields', () => {
  it('lists every missing field and attachment at once', () => {
    const p = problemsOf(checkApplication({ category: 'passenger', applicationType: 'add_class' }, ctx({ attachments: new Set() })))
    expect(Object.keys(p).sort()).toEqual(
      [
        'name', 'idNumber', 'gender', 'birthDate', 'idIssuer', 'householdNonLocal', 'ethnicity', 'education', 'politicalStatus',
        'priorOccupation', 'phone', 'licenceNonLocal', 'licenceIssuer', 'licenceFileNo', 'licenceClasses', 'licenceFirstIssued',
        'licenceIssued', 'licenceValidYears', 'householdAddress', 'currentAddress', 'collectMethod', 'trainingMode',
        'id_front', 'id_back', 'licence', 'no_accident', 'photo', 'old_certificate'
      ].sort()
    )
    expect(p.name).toBe('请填写姓名')
    expect(p.old_certificate).toBe('请上传原资格证照片')
  })
  it('checks the phone, the codes, the school and the mail address', () => {
    const p = problems(
      form({ phone: '12345678901', ethnicity: '99', education: 'x', collectMethod: 'mail', trainingMode: 'school', trainingSchoolId: 7 }),
      { trainingSchool: null }
    )
    expect(p.phone).toBe('联系电话应为11位手机号码')
    expect(p.ethnicity).toBe('民族不在国家标准代码表中')
    expect(p.education).toBe('文化程度不在国家标准代码表中')
    expect(p.mailAddress).toBe('请填写邮寄地址')
    expect(p.trainingSchoolId).toBe('所选培训机构不存在，请重新选择')
    expect(problems(form({ trainingMode: 'school', trainingSchoolId: 7 }), { trainingSchool: { id: 7, active: false } }).trainingSchoolId).toBe(
      '所选培训机构已停用，请重新选择'
    )
  })
  it('checks a local training certificate when the registry answers', () => {
    const f = form({ category: 'freight', licenceClasses: ['B2'], vehicleClass: 'B2', trainingCertNonLocal: false, trainingCertificateId: 3 })
    expect(problems(f).trainingCertificateId).toBeUndefined()
    expect(problems(f, { trainingCertificate: null }).trainingCertificateId).toBe('未查询到所选结业证，请点击“查询”重新选择')
    expect(problems(f, { trainingCertificate: { idNumber: f.idNumber!, vehicleClass: 'A2', valid: true } }).trainingCertificateId).toBe(
      '结业证车型（A2）与所选货运准驾车型不符'
    )
    expect(problems(f, { trainingCertificate: { idNumber: id('1990-01-01', 'M'), vehicleClass: 'B2', valid: true } }).trainingCertificateId).toBe(
      '所选结业证不属于本人'
    )
    expect(problems(f, { trainingCertificate: { idNumber: f.idNumber!, vehicleClass: 'B2', valid: false } }).trainingCertificateId).toBe('所选结业证已失效')
  })
})

describe('names and passwords', () => {
  it.each([
    ['张伟', null],
    ['阿卜杜拉·买买提', null],
    ['王䶮', null],
    ['李', '姓名至少2个字'],
    ["张伟'; DROP TABLE applicants;--", '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号'],
    ['<script>alert(1)</script>', '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号'],
    ['·张伟', '姓名只能包含汉字（少数民族姓名可用“·”分隔），不能含数字、空格或符号']
  ])('name %s', (name, problem) => {
    expect(nameProblem(name)).toBe(problem)
  })
  it.each([
    ['abc123', null],
    ['Abcdef1234', null],
    ['abc12', '密码至少6位'],
    ['abcdef12345', '密码不能超过10位'],
    ['abc@123', '密码只能由字母和数字组成，不能含特殊字符'],
    ['密码abc123', '密码只能由字母和数字组成，不能含特殊字符']
  ])('password %s', (pw, problem) => {
    expect(applicantPasswordProblem(pw)).toBe(problem)
  })
})

describe('required attachments', () => {
  it('depend on category, type and where the certificate is from', () => {
    expect(requiredAttachments({ category: 'passenger', applicationType: 'initial' })).toEqual(['id_front', 'id_back', 'licence', 'no_accident', 'photo'])
    expect(requiredAttachments({ category: 'freight', applicationType: 'add_class', trainingCertNonLocal: true })).toEqual([
      'id_front', 'id_back', 'licence', 'no_accident', 'photo', 'training_cert', 'old_certificate'
    ])
    expect(requiredAttachments({ category: 'freight', applicationType: 'initial', trainingCertNonLocal: false })).not.toContain('training_cert')
  })
})
