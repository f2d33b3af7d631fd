// The names of every staff operation. Kept free of imports so that the sandboxed preload can
// expose one method per operation without bundling the schemas; `index.ts` checks at compile
// time that every name has exactly one definition.
export const OPERATIONS = [
  'auth.login',
  'auth.logout',
  'auth.me',
  'auth.changePassword',
  'staff.list',
  'staff.create',
  'staff.update',
  'staff.resetPassword',
  'staff.unlock',
  'audit.list',
  'queues.counts',
  'permits.queue', 'permits.detail', 'permits.attachment', 'permits.approve', 'permits.reject',
  'certificates.queue', 'certificates.print', 'certificates.job', 'certificates.jobPdf', 'certificates.printers', 'certificates.sendToPrinter', 'certificates.reprint', 'certificates.spoil', 'certificates.voidBlanks', 'certificates.handOver', 'certificates.search', 'certificates.detail', 'certificates.stock', 'certificates.addStock', 'certificates.calibration', 'certificates.saveCalibration', 'certificates.testPrint',
  'notifications.outbox', 'notifications.retry', 'notifications.cancel', 'notifications.processNow', 'notifications.templates', 'notifications.saveTemplate',
  'schools.list', 'schools.save', 'training.list', 'training.detail', 'training.create', 'training.revoke', 'training.importPreview', 'training.importCommit', 'training.importDiscard', 'training.batches', 'training.template',
  'dataSafety.backupConfig', 'dataSafety.saveBackupConfig', 'dataSafety.backups', 'dataSafety.backupNow', 'dataSafety.verifyBackup', 'dataSafety.restore', 'dataSafety.doctor', 'dataSafety.startupReport',
  'exams.venues', 'exams.sessions', 'exams.createSession', 'exams.setCapacity', 'exams.cancelSession', 'exams.roster', 'exams.markAttendance', 'exams.closeSession', 'exams.exportRoster', 'exams.findApplicant', 'exams.counterPayment', 'exams.counterBook', 'exams.counterCancelBooking', 'exams.reconciliation', 'exams.exportReconciliation', 'exams.recordRefund', 'exams.feeSettings', 'exams.saveFeeSettings', 'scores.template', 'scores.uploadChunk', 'scores.preview', 'scores.commit', 'scores.batches',
  'reports.dashboard', 'reports.drilldown', 'reports.schools', 'reports.sessions', 'reports.startExport', 'reports.exportStatus', 'reports.exports',
  'review.queue', 'review.stats', 'review.claimNext', 'review.claim', 'review.touch', 'review.release', 'review.locks', 'review.detail', 'review.revealPersonal', 'review.attachment', 'review.pass', 'review.return', 'review.filterOptions', 'review.counterCreate', 'review.counterSave', 'review.counterUpload', 'review.counterSubmit', 'review.settings', 'review.saveSettings', 'review.reasons', 'review.saveReason', 'review.holidays', 'review.saveHoliday', 'review.deleteHoliday'
] as const

export type OperationName = (typeof OPERATIONS)[number]
