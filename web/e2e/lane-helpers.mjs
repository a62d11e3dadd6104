// Pieces the lane specs share (not a spec: run.mjs runs *.spec.mjs only).

/** A name as the server answers a sampler at the lane (server/src/platform/ids.ts maskName): 张芊芊 → 张*芊, 张伟 → 张*. */
export function maskName(name) {
  const parts = name.trim().split(/([\s·•・]+)/u);
  if (parts.length === 1) {
    const c = [...parts[0]];
    if (c.length <= 1) return '*';
    if (c.length === 2) return `${c[0]}*`;
    return `${c[0]}${'*'.repeat(c.length - 2)}${c[c.length - 1]}`;
  }
  return parts.map((p, i) => (i % 2 === 1 ? p : [...p].map((ch, j) => (j === 0 ? ch : '*')).join(''))).join('');
}

/**
 * Types like a hardware scanner: the code's characters a few milliseconds apart, then Enter,
 * into whatever has the focus (the field is NOT focused first).
 */
export async function scanLikeScanner(page, text) {
  await page.keyboard.type(text, { delay: 8 });
  await page.keyboard.press('Enter');
}
