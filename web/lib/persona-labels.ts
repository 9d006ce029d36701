import type { Device } from '$shared/personas';
import type { NextUseRule } from '$shared/tools';
import { m } from '$lib/paraglide/messages.js';

const deviceLabels: Record<Device, () => string> = {
  desktop: m.device_desktop,
  phone: m.device_phone,
  tablet: m.device_tablet,
  any: m.device_any,
};

export function deviceLabel(device: Device): string {
  return deviceLabels[device]();
}

const confidenceLabels = [
  m.confidence_1,
  m.confidence_2,
  m.confidence_3,
  m.confidence_4,
  m.confidence_5,
];

/** "3 – Comfortable with everyday tools", for a confidence of 1 to 5. */
export function confidenceLabel(value: number): string {
  return confidenceLabels[value - 1]?.() ?? String(value);
}

const ruleLabels: Record<NextUseRule, () => string> = {
  'last-working-day-of-month': m.next_use_rule_last_working_day_of_month,
  'first-working-day-of-month': m.next_use_rule_first_working_day_of_month,
  'last-working-day-of-quarter': m.next_use_rule_last_working_day_of_quarter,
};

export function nextUseRuleLabel(rule: NextUseRule): string {
  return ruleLabels[rule]();
}
