import { describe, expect, it } from 'vitest';
import { slugify } from './slugify';

describe('slugify', () => {
  it('lowercases and joins words with single hyphens', () => {
    expect(slugify('  Doe & Sons GmbH  ')).toBe('doe-sons-gmbh');
    expect(slugify('ACME -- Lab 2')).toBe('acme-lab-2');
  });

  it('keeps at most 63 characters and never starts or ends with a hyphen', () => {
    expect(slugify(`!${'a'.repeat(80)}`)).toBe('a'.repeat(63));
    expect(slugify('---')).toBe('');
  });
});
