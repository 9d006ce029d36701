/** What a push notification shows; the service worker opens `url` (an app path) on a tap. */
export interface PushMessage {
  title: string;
  body: string;
  url: string;
  /** Replaces an earlier notification with the same tag on the device. */
  tag?: string;
}

export interface PushSender {
  /**
   * Sends to every device the person subscribed; subscriptions the push service says are gone
   * (404, 410) are removed. Throws when a service fails otherwise, so the job retries.
   */
  sendToUser(userId: string, message: PushMessage): Promise<{ sent: number; removed: number }>;
}
