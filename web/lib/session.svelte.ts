/**
 * Who is signed in: the account, its memberships, and the organisation last used on this
 * browser. Set by the app layout's `load`; the account's language becomes the interface's.
 */
import type { Me, MembershipSummary } from '$shared/auth';
import { mayCreateOrg } from '$shared/orgs';
import { api } from '$lib/api';
import { i18n } from '$lib/i18n.svelte';

const LAST_ORG_KEY = 'rappel.lastOrg';

class Session {
  me = $state<Me | null>(null);

  user = $derived(this.me?.user ?? null);
  memberships = $derived(this.me?.memberships ?? []);
  /**
   * Whether this person may create an organisation. Signed in without any membership means
   * never having had one: ending someone's last membership ends their sessions.
   */
  canCreateOrg = $derived(mayCreateOrg(this.memberships, false));

  set(me: Me) {
    this.me = me;
    i18n.set(me.user.locale, { remember: true });
  }

  /** Reloads the account and memberships (after joining or creating an organisation). */
  async refresh(): Promise<Me> {
    const me = await api.me();
    this.set(me);
    return me;
  }

  clear() {
    this.me = null;
  }

  membership(orgId: string): MembershipSummary | undefined {
    return this.memberships.find((m) => m.orgId === orgId);
  }

  get lastOrgId(): string | null {
    try {
      return localStorage.getItem(LAST_ORG_KEY);
    } catch {
      return null;
    }
  }

  rememberOrg(orgId: string) {
    try {
      localStorage.setItem(LAST_ORG_KEY, orgId);
    } catch {
      // Storage disabled: "/" then opens the first organisation.
    }
  }

  /** Where "/" leads: the last-used organisation, else the first one, else none. */
  homeOrgId(): string | null {
    const last = this.lastOrgId;
    if (last && this.membership(last)) return last;
    return this.memberships[0]?.orgId ?? null;
  }
}

export const session = new Session();
