/** A person's avatar: their uploaded image, else their initials on a colour picked from their id. */
export function Avatar({ person, size = 32 }: { person: { id: string; displayName: string; avatarUrl?: string | null; initials?: string }; size?: number }) {
  if (person.avatarUrl) return <img class="avatar" src={person.avatarUrl} alt="" width={size} height={size} loading="lazy" />;
  const initials = person.initials ?? initialsOf(person.displayName);
  const hue = [...person.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 0);
  return (
    <span class={`avatar avatar-initials avatar-hue-${Math.floor(hue / 30)}`} aria-hidden="true" data-size={size > 40 ? 'large' : 'small'}>
      {initials}
    </span>
  );
}

/** As the server computes them: the first letters of the first two words. */
export function initialsOf(name: string): string {
  const words = name.trim().split(/\s+/).filter((w) => /\p{L}|\p{N}/u.test(w));
  return words.slice(0, 2).map((w) => Array.from(w.replace(/^[^\p{L}\p{N}]+/u, ''))[0] ?? '').join('').toLocaleUpperCase() || '?';
}
