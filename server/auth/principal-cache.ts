import type { Locale, Role } from '../../shared/common';
import type { Clock } from '../lib/clock';

/** Who is behind a session token: what every request needs, without a database round trip. */
export interface Principal {
  user: { id: string; email: string; name: string; locale: Locale };
  session: { id: string; expiresAt: Date; lastSeenAt: Date };
  /** Active memberships, oldest first, with the teams each manages (server/lib/scope.ts). */
  memberships: {
    orgId: string;
    orgName: string;
    roles: Role[];
    teamId: string | null;
    managedTeamIds: string[];
  }[];
}

/** Carries invalidations to the other API instances (PostgreSQL NOTIFY); absent with PGlite. */
export interface InvalidationBus {
  publish(message: string): Promise<void>;
  /**
   * Delivers the other instances' messages to `onMessage`; `onListening` runs each time the
   * subscription is (re)established, after which messages sent while it was down are lost.
   */
  subscribe(onMessage: (message: string) => void, onListening: () => void): Promise<void>;
}

interface Entry {
  principal: Principal;
  /** The token's SHA-256, the name other instances know the session by. */
  tokenHash: string;
  storedAt: number;
}

/**
 * Caches principals by session token for a short time (keyed by the token itself, so a hit
 * costs no hashing; the tokens are in this process's memory with every request anyway). Every write that changes a user,
 * their sessions, memberships or organisation names invalidates the entries it touches, here
 * and (through the bus) on every other instance; the time-to-live bounds what a lost
 * notification could leave stale. A load that started before an invalidation is not stored.
 */
export class PrincipalCache {
  private entries = new Map<string, Entry>();
  private generation = 0;

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly maxEntries = 50_000,
    private readonly bus?: InvalidationBus,
  ) {}

  /**
   * Listens to the other instances' invalidations. What they sent while the bus was down
   * (the database away, a network cut) is unknown, so every (re)connection drops the whole
   * cache rather than serving what may be stale until the time-to-live.
   */
  async connect() {
    await this.bus?.subscribe(
      (message) => this.apply(message),
      () => this.forgetAll(),
    );
  }

  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    if (this.clock.now().getTime() - entry.storedAt >= this.ttlMs) {
      this.entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  /** The generation to hand back to `set`, taken before loading from the database. */
  mark() {
    return this.generation;
  }

  set(token: string, tokenHash: string, principal: Principal, generation: number) {
    if (generation !== this.generation) return;
    if (this.entries.size >= this.maxEntries) this.entries.clear();
    this.entries.set(token, { principal, tokenHash, storedAt: this.clock.now().getTime() });
  }

  /** After a commit that changed this session. */
  forgetSession(tokenHash: string) {
    return this.invalidate(`session:${tokenHash}`);
  }

  /** After a commit that changed this user, their sessions or memberships. */
  forgetUser(userId: string) {
    return this.invalidate(`user:${userId}`);
  }

  /** After a commit that changed this organisation (its name). */
  forgetOrg(orgId: string) {
    return this.invalidate(`org:${orgId}`);
  }

  /** Drops every entry, and every load in progress from being stored. */
  private forgetAll() {
    this.generation++;
    this.entries.clear();
  }

  private async invalidate(message: string) {
    this.apply(message);
    await this.bus?.publish(message);
  }

  private apply(message: string) {
    this.generation++;
    const [kind, id] = message.split(':', 2) as [string, string];
    for (const [key, { principal, tokenHash }] of this.entries) {
      const hit =
        kind === 'session'
          ? tokenHash === id
          : kind === 'user'
            ? principal.user.id === id
            : kind === 'org'
              ? principal.memberships.some((m) => m.orgId === id)
              : true;
      if (hit) this.entries.delete(key);
    }
  }
}
