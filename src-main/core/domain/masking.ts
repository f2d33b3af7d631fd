// Personal data in lists is masked; the full value is shown only on a detail screen (and audited).

/** 410***********1234: the region's first three and the last four characters. */
export function maskIdNumber(id: string): string {
  if (id.length <= 7) return '*'.repeat(id.length)
  return id.slice(0, 3) + '*'.repeat(id.length - 7) + id.slice(-4)
}

/** 138****5678 */
export function maskPhone(phone: string): string {
  if (phone.length < 7) return '*'.repeat(phone.length)
  return phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4)
}
