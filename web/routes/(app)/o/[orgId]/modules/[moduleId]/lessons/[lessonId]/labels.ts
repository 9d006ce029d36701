/** Names of block and card kinds, in the interface's language. */
import type { BlockKind, CardKind } from '$shared/modules';
import { m } from '$lib/paraglide/messages.js';

const blockKinds: Record<BlockKind, () => string> = {
  text: m.block_kind_text,
  image: m.block_kind_image,
  video: m.block_kind_video,
  steps: m.block_kind_steps,
  callout: m.block_kind_callout,
  task: m.block_kind_task,
};

export function blockKindLabel(kind: BlockKind): string {
  return blockKinds[kind]();
}

const cardKinds: Record<CardKind, () => string> = {
  single: m.card_kind_single,
  multiple: m.card_kind_multiple,
  truefalse: m.card_kind_truefalse,
  order: m.card_kind_order,
  short: m.card_kind_short,
};

export function cardKindLabel(kind: CardKind): string {
  return cardKinds[kind]();
}
