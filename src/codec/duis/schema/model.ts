// The compiled schema components (XML Schema Part 1 §2.2) the validator walks: element declarations, complex
// types with their content and attribute uses, wildcards. Built once by xsd-compile.ts, read-only afterwards.

import type { ContentModel } from './content-model.js';
import type { SimpleType } from './simple-types.js';

export interface ElementDecl {
  readonly kind: 'element';
  readonly namespace: string | null;
  readonly localName: string;
  /** 'sr:DeviceID', with the prefix the schema uses for its target namespace. */
  readonly displayName: string;
  /** Set when the schema is linked (named types may be declared after their first use). */
  type: TypeDefinition;
  /** §3.3.1 {value constraint} default: used when the element has no character or element children. */
  readonly defaultValue: string | null;
}

/** §3.10.1 namespace constraint, processContents as written. */
export interface Wildcard {
  readonly kind: 'wildcard';
  /** 'any': ##any; 'not': any namespace except `excluded` and no namespace (##other, §3.10.4 1.0); 'list'. */
  readonly mode: 'any' | 'not' | 'list';
  readonly excluded: string | null;
  readonly namespaces: ReadonlySet<string | null>;
  readonly processContents: 'strict' | 'lax' | 'skip';
  readonly displayName: string;
}

export interface AttributeUse {
  readonly namespace: string | null;
  readonly localName: string;
  readonly type: SimpleType;
  readonly required: boolean;
}

export type ContentType =
  | { readonly kind: 'empty' }
  | { readonly kind: 'simple'; readonly type: SimpleType }
  | { readonly kind: 'elements'; readonly mixed: boolean; readonly model: ContentModel };

export interface ComplexType {
  readonly kind: 'complex';
  readonly displayName: string;
  readonly namespace: string | null;
  readonly localName: string | null;
  readonly abstract: boolean;
  /** Base type definition (null stands for xs:anyType). */
  base: TypeDefinition | null;
  derivation: 'extension' | 'restriction' | null;
  attributes: readonly AttributeUse[];
  /** How many of `attributes` are required, so a complete element costs one comparison. */
  requiredAttributes: number;
  content: ContentType;
}

export type TypeDefinition = SimpleType | ComplexType;

/** Whether a wildcard admits an element in namespace ns (§3.10.4 Wildcard allows Namespace Name). */
export function wildcardAllows(w: Wildcard, ns: string | null): boolean {
  if (w.mode === 'any') return true;
  if (w.mode === 'not') return ns !== null && ns !== w.excluded;
  return w.namespaces.has(ns);
}
