// Text messages to applicants go through one provider interface. The default provider writes each
// message as one JSON line to <dataDir>/outbox/sms.jsonl (offline installs, demos and tests read
// codes there). A gateway provider (and templates, retries) can be added behind the same interface.
import { mkdir, open, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export interface SmsMessage {
  /** 11-digit mobile number */
  to: string
  text: string
  /** Asia/Shanghai ISO time the message was handed to the provider */
  at: string
}

export interface SmsProvider {
  readonly name: string
  /** Resolves once the provider has accepted the message; rejects when it could not. */
  send(message: SmsMessage): Promise<void>
}

export function outboxFile(dataDir: string): string {
  return join(dataDir, 'outbox', 'sms.jsonl')
}

/** Appends `{"to","text","at"}` lines to outbox/sms.jsonl, flushed to disk before it resolves. */
export function fileSmsProvider(dataDir: string): SmsProvider {
  const file = outboxFile(dataDir)
  let ready: Promise<unknown> | undefined
  // One append at a time, so that lines never interleave.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    name: 'file',
    send(message) {
      const line = JSON.stringify({ to: message.to, text: message.text, at: message.at }) + '\n'
      const run = async () => {
        ready ??= mkdir(join(dataDir, 'outbox'), { recursive: true })
        await ready
        const fh = await open(file, 'a')
        try {
          await fh.appendFile(line, 'utf8')
          await fh.sync()
        } finally {
          await fh.close()
        }
      }
      const p = queue.then(run, run)
      queue = p.catch(() => undefined)
      return p
    }
  }
}

/** Reads the outbox (tests, demos and the staff UI). */
export async function readOutbox(dataDir: string): Promise<SmsMessage[]> {
  try {
    const text = await readFile(outboxFile(dataDir), 'utf8')
    return text
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as SmsMessage)
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
}
