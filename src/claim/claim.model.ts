/** A :Claim node: one sourced value of one property of one subject. */
export interface ClaimRecord {
  id: string;
  subject: string;
  property: string;
  value: string;
  note?: string;
  sources: string[];
  /** Computed when loading: another claim on the same subject and property has a different value. */
  disputed: boolean;
}
