// A choice kept in localStorage (paste mode, scaling): one of a few allowed values, the fallback
// when nothing valid is stored or storage is unavailable.
import { useState } from 'react';

function read<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
  try {
    const v = localStorage.getItem(key);
    return (allowed as readonly string[]).includes(v ?? '') ? (v as T) : fallback;
  } catch {
    return fallback;
  }
}

export function useStoredChoice<T extends string>(
  key: string,
  allowed: readonly T[],
  fallback: T,
): [T, (v: T) => void] {
  const [value, setValue] = useState<T>(() => read(key, allowed, fallback));
  const choose = (v: T) => {
    setValue(v);
    try {
      localStorage.setItem(key, v);
    } catch {
      // No storage: the choice lasts for this page.
    }
  };
  return [value, choose];
}
