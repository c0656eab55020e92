// Class-name helper shared by every component: clsx for conditions, tailwind-merge so a caller's
// classes win over a component's defaults.
import { type ClassValue, clsx } from 'clsx';
import { twMerge } from 'tailwind-merge';

export function cn(...inputs: ClassValue[]): string {
  return twMerge(clsx(inputs));
}
