import neo4j, {
  Date as Neo4jDate,
  DateTime,
  Duration,
  type Integer,
  LocalDateTime,
  LocalTime,
  Point,
  Time,
  isDate,
  isDateTime,
  isDuration,
  isInt,
  isLocalDateTime,
  isLocalTime,
  isPoint,
  isTime,
} from 'neo4j-driver';

/**
 * Neo4j property values as plain JSON, and back, without loss. Strings, booleans and lists are
 * themselves; an INTEGER is a JSON number (or `{"$int": "…"}` beyond 2^53); a FLOAT is a JSON number
 * with a fraction, or `{"$float": 3}` / `{"$float": "NaN"}` when JSON would read it as an integer;
 * other types are one-key objects:
 *
 *     {"$point": {"srid": 4326, "x": 100.5, "y": 13.7}}          (z when 3-D)
 *     {"$date": "2025-07-04"}   {"$localtime": "03:04:05.5"}   {"$time": "03:04:05Z"}
 *     {"$localdatetime": "2025-07-04T03:04:05"}
 *     {"$datetime": "2025-07-04T03:04:05+07:00"}  or with a zone: "…+07:00[Asia/Bangkok]"
 *     {"$duration": {"months": 14, "days": 3, "seconds": 14706, "nanoseconds": 700000000}}
 *     {"$bytes": "base64…"}
 *
 * The same encoding serves the dump files and the checksums.
 */
export type PortableValue = string | number | boolean | null | PortableValue[] | { [key: string]: PortableValue };

/** Encodes one property value read with lossless integers (a driver created with `losslessIntegers: true`). */
export function encodeValue(value: unknown): PortableValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return { $float: String(value) };
    return Number.isInteger(value) ? { $float: value } : value;
  }
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : { $int: value.toString() };
  if (isInt(value)) {
    const int = value as Integer;
    return int.inSafeRange() ? int.toNumber() : { $int: int.toString() };
  }
  if (Array.isArray(value)) return value.map(encodeValue);
  // isView, not instanceof: byte arrays may come from another realm (a test runner's sandbox).
  if (ArrayBuffer.isView(value)) return { $bytes: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (isPoint(value)) {
    const p = value as Point;
    return { $point: { srid: num(p.srid), x: p.x, y: p.y, ...(p.z !== undefined ? { z: p.z } : {}) } };
  }
  if (isDuration(value)) {
    const d = value as Duration;
    return { $duration: { months: num(d.months), days: num(d.days), seconds: num(d.seconds), nanoseconds: num(d.nanoseconds) } };
  }
  if (isDateTime(value)) return { $datetime: String(value) };
  if (isLocalDateTime(value)) return { $localdatetime: String(value) };
  if (isDate(value)) return { $date: String(value) };
  if (isTime(value)) return { $time: String(value) };
  if (isLocalTime(value)) return { $localtime: String(value) };
  throw new Error(`Cannot encode a property value of type ${Object.prototype.toString.call(value)}`);
}

/** Encodes a property map; keys keep their order of appearance (checksums sort them). */
export function encodeProperties(props: Record<string, unknown>): Record<string, PortableValue> {
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [key, encodeValue(value)]));
}

/** A bad value in a dump file; the message says which. */
export class PortableValueError extends Error {
  override name = 'PortableValueError';
}

/** Decodes one value of {@link encodeValue} into what the driver sends as the same Neo4j type. */
export function decodeValue(value: PortableValue): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isInteger(value) ? neo4j.int(value) : value;
  if (Array.isArray(value)) return value.map(decodeValue);
  const [key, inner] = Object.entries(value)[0] ?? [];
  if (Object.keys(value).length !== 1 || key === undefined) throw new PortableValueError(`Not a portable value: ${JSON.stringify(value)}`);
  switch (key) {
    case '$int':
      return neo4j.int(String(inner));
    case '$float':
      return Number(inner);
    case '$bytes':
      return Buffer.from(String(inner), 'base64');
    case '$point': {
      const p = inner as { srid: number; x: number; y: number; z?: number };
      return new Point(neo4j.int(p.srid), p.x, p.y, p.z);
    }
    case '$duration': {
      const d = inner as { months: number; days: number; seconds: number; nanoseconds: number };
      return new Duration(neo4j.int(d.months), neo4j.int(d.days), neo4j.int(d.seconds), neo4j.int(d.nanoseconds));
    }
    case '$date':
      return parseDate(String(inner));
    case '$localtime':
      return parseTime(String(inner));
    case '$time': {
      const { time, offset } = splitOffset(String(inner));
      const t = parseTime(time);
      return new Time(t.hour, t.minute, t.second, t.nanosecond, offset ?? 0);
    }
    case '$localdatetime': {
      const [date = '', time = ''] = String(inner).split('T');
      const d = parseDate(date);
      const t = parseTime(time);
      return new LocalDateTime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.nanosecond);
    }
    case '$datetime': {
      const zone = /\[([^\]]+)\]$/.exec(String(inner));
      const text = zone ? String(inner).slice(0, zone.index) : String(inner);
      const [date = '', rest = ''] = text.split('T');
      const { time, offset } = splitOffset(rest);
      const d = parseDate(date);
      const t = parseTime(time);
      // A zoned value keeps both its zone name and its offset, as Neo4j printed them.
      return new DateTime(d.year, d.month, d.day, t.hour, t.minute, t.second, t.nanosecond, zone ? offset : (offset ?? 0), zone?.[1]);
    }
    default:
      throw new PortableValueError(`Unknown portable type ${key}`);
  }
}

/** Decodes a property map of {@link encodeProperties}. */
export function decodeProperties(props: Record<string, PortableValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).map(([key, value]) => [key, decodeValue(value)]));
}

function num(value: number | Integer): number {
  return typeof value === 'number' ? value : value.toNumber();
}

function parseDate(text: string): Neo4jDate<number> {
  const m = /^([+-]?\d{4,9})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) throw new PortableValueError(`Bad date: ${text}`);
  return new Neo4jDate(Number(m[1]), Number(m[2]), Number(m[3]));
}

function parseTime(text: string): LocalTime<number> {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/.exec(text);
  if (!m) throw new PortableValueError(`Bad time: ${text}`);
  return new LocalTime(Number(m[1]), Number(m[2]), Number(m[3] ?? 0), Number((m[4] ?? '').padEnd(9, '0')));
}

/** Splits "03:04:05+01:00" into the time and the offset in seconds ("Z" is 0; none is undefined). */
function splitOffset(text: string): { time: string; offset: number | undefined } {
  const m = /^(.*?)(Z|[+-]\d{2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (!m?.[1]) throw new PortableValueError(`Bad time: ${text}`);
  if (!m[2]) return { time: m[1], offset: undefined };
  if (m[2] === 'Z') return { time: m[1], offset: 0 };
  const sign = m[2].startsWith('-') ? -1 : 1;
  const [h = 0, mi = 0, s = 0] = m[2].slice(1).split(':').map(Number);
  return { time: m[1], offset: sign * (h * 3600 + mi * 60 + s) };
}

/**
 * JSON with object keys sorted at every level: two equal values always give the same text.
 *
 *     canonicalJson({ b: 1, a: [2] }) === '{"a":[2],"b":1}'
 */
export function canonicalJson(value: PortableValue): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key] as PortableValue)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
