import { Injectable, type PipeTransform } from '@nestjs/common';
import { badRequest } from './app-exception.js';

const MAX_INT = 2_147_483_647;

/** A positive integer id from a path parameter, or a validation error naming the parameter. */
@Injectable()
export class IntIdPipe implements PipeTransform<string, number> {
  constructor(private readonly field: string) {}

  transform(value: string): number {
    if (/^[1-9][0-9]{0,9}$/.test(value) && Number(value) >= 1 && Number(value) <= MAX_INT) return Number(value);
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
