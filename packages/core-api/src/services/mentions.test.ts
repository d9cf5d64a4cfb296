import { describe, expect, it } from 'vitest';
import { findMentions, type Mentionable } from './mentions.js';

const ada: Mentionable = { id: 1, name: 'Ada Lovelace', email: 'ada.l@example.com' };
const grace: Mentionable = { id: 2, name: 'Grace Hopper', email: 'ghopper@example.com' };
const alan: Mentionable = { id: 3, name: 'Alan Turing', email: null };
const alanKay: Mentionable = { id: 4, name: 'Alan Kay', email: 'kay@example.com' };
const members = [ada, grace, alan, alanKay];

const mentioned = (text: string, list: Mentionable[] = members) => findMentions(text, list).sort((a, b) => a - b);

describe('findMentions', () => {
  it('finds nobody in text without an @', () => {
    expect(mentioned('Ada Lovelace and Grace Hopper')).toEqual([]);
  });

  it('recognises the full name', () => {
    expect(mentioned('thanks @Ada Lovelace!')).toEqual([1]);
  });

  it('recognises the name without spaces', () => {
    expect(mentioned('@GraceHopper please look')).toEqual([2]);
  });

  it('recognises a first name only when one member has it', () => {
    expect(mentioned('ping @ada')).toEqual([1]);
    expect(mentioned('ping @alan')).toEqual([]);
    expect(mentioned('ping @alan turing and @alankay')).toEqual([3, 4]);
  });

  it('recognises the local part of the email', () => {
    expect(mentioned('cc @ghopper')).toEqual([2]);
    expect(mentioned('cc @ada.l, thanks')).toEqual([1]);
    expect(mentioned('cc @kay')).toEqual([4]);
  });

  it('ignores case', () => {
    expect(mentioned('@ADA LOVELACE and @gRaCeHoPpEr')).toEqual([1, 2]);
  });

  it('does not see a mention inside an email address', () => {
    expect(mentioned('write to someone@ada.dev or bob@ghopper.org')).toEqual([]);
    expect(mentioned('mail ada.l@example.com')).toEqual([]);
  });

  it('needs the handle to end at a word boundary', () => {
    expect(mentioned('@adam and @ghoppers and @kay_1')).toEqual([]);
  });

  it('accepts punctuation and line starts around a mention', () => {
    expect(mentioned('@ada: done.\n(@ghopper) ok, @Alan Turing.')).toEqual([1, 2, 3]);
  });

  it('names each member once however often they are mentioned', () => {
    expect(findMentions('@ada @Ada Lovelace @ada.l @AdaLovelace', members)).toEqual([1]);
  });

  it('only knows the members it is given', () => {
    expect(mentioned('@Ada Lovelace @ghopper', [grace])).toEqual([2]);
  });

  it('finds a mention after an earlier non-matching occurrence', () => {
    expect(mentioned('x@ada then @ada')).toEqual([1]);
  });
});
