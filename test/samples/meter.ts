/** What the fake meters behind the documentation samples send: two good telegrams and a damaged one. */
import { captureBytes } from '../helpers/captures.js';
import { APPENDIX_A1, latin1 } from '../helpers/telegram.js';

/** A DSMR 5 telegram with a gas meter. */
export const TELEGRAM = captureBytes('20-iskra-mt382-dsmr50-ndokter.txt');

/** The bytes of a stream: a good telegram, a damaged one, another good one. */
export const STREAM = new Uint8Array([...TELEGRAM, ...latin1(APPENDIX_A1.replace('231.4', '231.5')), ...captureBytes('15-kaifa-kfm5-dsmr42-hyperion.txt')]);

/** How many good telegrams STREAM holds. */
export const STREAM_TELEGRAMS = 2;
