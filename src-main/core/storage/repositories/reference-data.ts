import type { Db } from '../database'

export interface SchoolInput {
  name: string
  address: string
  phone: string
  licenceNo: string
}
export interface VenueInput {
  name: string
  address: string
}
export interface SessionInput {
  venueId: number
  name: string
  examDate: string
  startTime: string
  endTime: string
  subjects: 'theory' | 'practical' | 'both'
  capacity: number
  booked: number
  bookingOpensAt: string
  bookingClosesAt: string
  status: 'open' | 'cancelled' | 'finished'
}

export function referenceDataRepository(db: Db) {
  const insertSchool = db.prepare(
    'INSERT INTO training_schools (name, address, phone, licence_no, created_at) VALUES (@name, @address, @phone, @licenceNo, @now)'
  )
  const insertVenue = db.prepare('INSERT INTO exam_venues (name, address, created_at) VALUES (@name, @address, @now)')
  const insertSession = db.prepare(
    `INSERT INTO exam_sessions (venue_id, name, exam_date, start_time, end_time, subjects, capacity, booked,
       booking_opens_at, booking_closes_at, status, created_at)
     VALUES (@venueId, @name, @examDate, @startTime, @endTime, @subjects, @capacity, @booked,
       @bookingOpensAt, @bookingClosesAt, @status, @now)`
  )
  return {
    insertSchool: (s: SchoolInput, now: string) => Number(insertSchool.run({ ...s, now }).lastInsertRowid),
    insertVenue: (v: VenueInput, now: string) => Number(insertVenue.run({ ...v, now }).lastInsertRowid),
    insertSession: (s: SessionInput, now: string) => Number(insertSession.run({ ...s, now }).lastInsertRowid)
  }
}
