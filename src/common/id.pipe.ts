import { Injectable, type PipeTransform } from '@nestjs/common';
import { badRequest } from './app-exception.js';

const MAX_INT = 2_147_483_647;

/** Whether a number can be a row id (a positive PostgreSQL integer). */
export const isIntId = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= MAX_INT;

/** A positive integer id from a path parameter, or a validation error naming the parameter. */
@Injectable()
export class IntIdPipe implements PipeTransform<string, number> {
  constructor(private readonly field: string) {}

  transform(value: string): number {
    if (/^[1-9][0-9]{0,9}$/.test(value) && isIntId(Number(value))) return Number(value);
    const message = `${this.field} must be a positive integer`;
    throw badRequest('validation_failed', `Invalid input: ${message}.`, [{ field: this.field, message }]);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid from a path parameter (lower-cased), or a validation error naming the parameter. */
@Injectable()
export class UuidPipe implements PipeTransform<string, string> {
  constructor(private readonly field: string) {}

  transform(value: string): string {
    if (UUID.test(value)) return value.toLowerCase();
    const message = `${this.field} must be a UUID`;
    throw badRequest('validation_failed', `Invalid input: ${message}.`, [{ field: this.field, message }]);
  }
}
