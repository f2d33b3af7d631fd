// 公民身份号码 (GB 11643-1999): 17 digits and a check character.
import codeLists from '../../../resources/code-lists.json'

const { weights: WEIGHTS, check_chars: CHECK_CHARS } = codeLists.id_number_GB11643

export type IdNumberCheck =
  | { ok: true; birthDate: string; gender: 'M' | 'F'; regionCode: string }
  | { ok: false; reason: string }

/** The check character for the first 17 digits. */
export function idCheckChar(first17: string): string {
  let sum = 0
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i]
  return CHECK_CHARS[sum % 11]
}

function isRealDate(y: number, m: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, m - 1, d))
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === m - 1 && dt.getUTCDate() === d
}

/** Validates an ID number and reads the birth date and gender from it. Accepts a lower-case x. */
export function parseIdNumber(raw: string): IdNumberCheck {
  const id = raw.trim().toUpperCase()
  if (id.length !== 18) return { ok: false, reason: `身份证号应为18位，当前为${id.length}位` }
  if (!/^\d{17}[\dX]$/.test(id)) return { ok: false, reason: '身份证号前17位应为数字，最后一位为数字或X' }
  const y = Number(id.slice(6, 10))
  const m = Number(id.slice(10, 12))
  const d = Number(id.slice(12, 14))
  if (y < 1900 || !isRealDate(y, m, d)) return { ok: false, reason: '身份证号中的出生日期无效' }
  if (idCheckChar(id) !== id[17]) return { ok: false, reason: '身份证号校验位不正确' }
  return {
    ok: true,
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    gender: Number(id[16]) % 2 === 1 ? 'M' : 'F',
    regionCode: id.slice(0, 6)
  }
}

export function normalizeIdNumber(raw: string): string {
  return raw.trim().toUpperCase()
}
