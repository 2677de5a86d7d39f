import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback; every mail it accepts is parsed with mailparser. */
export async function startSmtp(refuse: (to: string) => boolean = () => false) {
  const mails: ParsedMail[] = [];
  const waiters = new Set<() => void>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (refuse(address.address)) return callback(Object.assign(new Error('Mailbox unavailable'), { responseCode: 450 }));
      callback();
    },
    onData(stream, _session, callback) {
      simpleParser(stream).then((mail) => {
        mails.push(mail);
        for (const w of [...waiters]) w();
        callback();
      }, callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  const to = (m: ParsedMail) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).flatMap((a) => a.value.map((v) => v.address));
  return {
    port,
    mails,
    mailsTo: (email: string) => mails.filter((m) => to(m).includes(email)),
    /** The next mail to `email` after the `seen` first ones. */
    nextTo(email: string, seen: number, timeoutMs = 15_000): Promise<ParsedMail> {
      return new Promise((resolve, reject) => {
        const check = () => {
          const list = mails.filter((m) => to(m).includes(email));
          if (list.length > seen) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(list[seen]);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`no mail #${seen + 1} to ${email} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

