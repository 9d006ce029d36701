import type { AddressInfo } from 'node:net';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerAddress } from 'smtp-server';

export interface SmtpOptions {
  /** Refuse every message with this reply (e.g. `{ code: 550, message: 'No such user' }`). */
  reject?: { code: number; message: string };
}

export interface SmtpEnvelope {
  from: string;
  to: string[];
}

export interface TestSmtp {
  /** `smtp://127.0.0.1:<port>`: give it as `config.smtp.url`. */
  url: string;
  port: number;
  /** Every accepted message, parsed, in the order received. */
  messages: ParsedMail[];
  /** The SMTP envelope of each accepted message (same order). */
  envelopes: SmtpEnvelope[];
  /** Resolves once `n` messages in all were accepted (at once when they already were). */
  waitFor(n: number): Promise<ParsedMail[]>;
  /** Starts refusing (or accepting again, with `undefined`) from the next message. */
  setReject(reject: SmtpOptions['reject']): void;
  close(): Promise<void>;
}

const address = (a: SMTPServerAddress | false) => (a ? a.address : '');

/**
 * A real SMTP server on a port the system hands out, for the tests: plain SMTP without TLS or
 * authentication (nodemailer speaks it as to any server), each message parsed with mailparser.
 */
export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const messages: ParsedMail[] = [];
  const envelopes: SmtpEnvelope[] = [];
  const waiters: { n: number; resolve: (m: ParsedMail[]) => void }[] = [];
  let reject = options.reject;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (!reject) return callback();
      const err = Object.assign(new Error(reject.message), { responseCode: reject.code });
      callback(err);
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          messages.push(mail);
          envelopes.push({
            from: address(session.envelope.mailFrom),
            to: session.envelope.rcptTo.map((r) => r.address),
          });
          for (const w of waiters.filter((w) => messages.length >= w.n)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(messages);
          }
          callback();
        })
        .catch((err: Error) => callback(err));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    envelopes,
    waitFor(n) {
      if (messages.length >= n) return Promise.resolve(messages);
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
    setReject(next) {
      reject = next;
    },
    close() {
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
