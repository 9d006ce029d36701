import type { DashboardForecastPage, ForecastSeries } from '$shared/dashboards';

/** A series' identity: its team (none for the people of no team) and module. */
export const seriesKey = (s: { teamId: string | null; moduleId: string }) =>
  `${s.teamId ?? ''}|${s.moduleId}`;

/**
 * The forecast's series read so far, the first page from the page's load and the next ones on
 * demand ("Show 20 more"), with the state the button and its status line show.
 */
export class SeriesPages {
  series = $state<ForecastSeries[]>([]);
  nextOffset = $state<number | null>(null);
  loading = $state(false);

  #load: (offset: number) => Promise<DashboardForecastPage>;

  constructor(
    first: DashboardForecastPage,
    load: (offset: number) => Promise<DashboardForecastPage>,
  ) {
    this.series = first.series;
    this.nextOffset = first.nextOffset;
    this.#load = load;
  }

  /** Reads the next page and adds its series; on failure (thrown) what is shown stays. */
  async more() {
    if (this.nextOffset === null || this.loading) return;
    this.loading = true;
    try {
      const page = await this.#load(this.nextOffset);
      // The order is worked out afresh on each request: a series that moved up since the last
      // page (its recall crossed the target meanwhile) is already shown, so it is not repeated.
      // eslint-disable-next-line svelte/prefer-svelte-reactivity -- a lookup within this call
      const shown = new Set(this.series.map(seriesKey));
      this.series = [...this.series, ...page.series.filter((s) => !shown.has(seriesKey(s)))];
      this.nextOffset = page.nextOffset;
    } finally {
      this.loading = false;
    }
  }
}
