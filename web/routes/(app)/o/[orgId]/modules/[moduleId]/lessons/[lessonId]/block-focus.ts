/** Moving focus among the editor's blocks after they are added, moved or deleted. */
import { tick } from 'svelte';

/** Where typing starts: text boxes and the file picker, not the persona or tone choices. */
const FIELDS = 'textarea, input:not([type="checkbox"]):not([type="radio"]):not(:disabled)';

function blockElement(id: string): HTMLElement | null {
  return document.querySelector<HTMLElement>(`[data-block-id="${CSS.escape(id)}"]`);
}

/** The block's first field (a new block is ready to type in). */
export async function focusBlockField(id: string) {
  await tick();
  const block = blockElement(id);
  (
    block?.querySelector<HTMLElement>(FIELDS) ?? block?.querySelector<HTMLElement>('.handle')
  )?.focus();
}

/**
 * One of the block's toolbar buttons (`data-action`), or its drag handle when that button is
 * disabled now (a block moved to the top has no "move up").
 */
export async function focusBlockControl(id: string, action = 'handle') {
  await tick();
  const block = blockElement(id);
  const button = block?.querySelector<HTMLButtonElement>(`[data-action="${action}"]`);
  (button && !button.disabled ? button : block?.querySelector<HTMLElement>('.handle'))?.focus();
}
