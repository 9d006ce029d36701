import nodemailer from 'nodemailer';
import type { Config } from '../config';

/** One rendered mail, ready to leave. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Extra headers (List-Unsubscribe, List-Unsubscribe-Post). */
  headers?: Record<string, string>;
  /** `Message-ID`, the same on every copy of one message (`<id@host>`). */
  messageId: string;
  /** `Date`: when it leaves, on the app's clock. */
  date: Date;
}

/**
 * The one way out to SMTP. `send` resolves once the server accepted the message and throws with
 * the server's reason otherwise (the outbox keeps it and retries).
 */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes idle connections (at shutdown). */
  close(): void;
}

const OPTIONS = {
  // A morning's reminders reuse a few connections instead of opening one per message.
  pool: true,
  maxConnections: 3,
  // nodemailer waits minutes by default; a job holding a lease that long would be claimed twice.
  connectionTimeout: 10_000,
  greetingTimeout: 10_000,
  socketTimeout: 30_000,
} as const;

/** nodemailer over `url` (smtp:// or smtps://, user and password in the URL when needed). */
export function createSmtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({ url, ...OPTIONS });
  return {
    async send(message) {
      const info = await transport.sendMail({
        from,
        to: message.to,
        subject: message.subject,
        text: message.text,
        html: message.html,
        headers: message.headers,
        messageId: message.messageId,
        date: message.date,
      });
      // Without an exception every recipient was accepted; a partial refusal is still a refusal.
      if (info.rejected.length > 0) {
        throw new Error(`The SMTP server refused ${info.rejected.map(String).join(', ')}`);
      }
    },
    close() {
      transport.close();
    },
  };
}

/**
 * The mailer of this configuration, or null when SMTP is not set up: then nothing leaves and
 * each message stays in the outbox as `unsent`, readable by admins.
 */
export function mailerFromConfig(config: Pick<Config, 'smtp'>): Mailer | null {
  return config.smtp ? createSmtpMailer(config.smtp.url, config.smtp.from) : null;
}
