/* SPDX-License-Identifier: MIT */
/*
 * cf-number.c - CFNumber (a 64-bit integer or a double, as made) and the
 * two CFBoolean constants.
 */
#include "cf-runtime.h"

#include <math.h>
#include <string.h>

struct __CFNumber {
	struct cf_object base;
	bool is_float;
	int64_t i;
	double d;
};

struct __CFBoolean {
	struct cf_object base;
	bool value;
};

static struct __CFBoolean true_obj = { CF_OBJECT_INIT(CF_TYPE_BOOLEAN), true };
static struct __CFBoolean false_obj = { CF_OBJECT_INIT(CF_TYPE_BOOLEAN), false };
CF_EXPORT_SYM const CFBooleanRef kCFBooleanTrue = &true_obj;
CF_EXPORT_SYM const CFBooleanRef kCFBooleanFalse = &false_obj;

static Boolean number_equal(const struct cf_object *a, const struct cf_object *b)
{
	const struct __CFNumber *x = (const void *)a, *y = (const void *)b;

	if (x->is_float || y->is_float)
		return (x->is_float ? x->d : (double)x->i) == (y->is_float ? y->d : (double)y->i);
	return x->i == y->i;
}

static CFHashCode number_hash(const struct cf_object *obj)
{
	const struct __CFNumber *n = (const void *)obj;

	if (n->is_float && n->d != floor(n->d))
		return (CFHashCode)(n->d * 2654435761.0);
	return (CFHashCode)(n->is_float ? (int64_t)n->d : n->i);
}

static const struct cf_class number_class = { "CFNumber", NULL, number_equal, number_hash };
static const struct cf_class boolean_class = { "CFBoolean", NULL, NULL, NULL };

__attribute__((constructor)) static void number_register(void)
{
	cf_register_class(CF_TYPE_NUMBER, &number_class);
	cf_register_class(CF_TYPE_BOOLEAN, &boolean_class);
}

CF_EXPORT_SYM CFTypeID CFBooleanGetTypeID(void)
{
	return CF_TYPE_BOOLEAN;
}

CF_EXPORT_SYM Boolean CFBooleanGetValue(CFBooleanRef boolean)
{
	return cf_is(boolean, CF_TYPE_BOOLEAN) && boolean->value;
}

CF_EXPORT_SYM CFTypeID CFNumberGetTypeID(void)
{
	return CF_TYPE_NUMBER;
}

/* Size of an integer type, 0 for a floating one, -1 for an unknown one. */
static int int_size(CFNumberType t)
{
	switch (t) {
	case kCFNumberSInt8Type: case kCFNumberCharType: return 1;
	case kCFNumberSInt16Type: case kCFNumberShortType: return 2;
	case kCFNumberSInt32Type: case kCFNumberIntType: return 4;
	case kCFNumberSInt64Type: case kCFNumberLongLongType: return 8;
	case kCFNumberLongType: case kCFNumberCFIndexType: case kCFNumberNSIntegerType:
		return (int)sizeof(long);
	case kCFNumberFloat32Type: case kCFNumberFloat64Type: case kCFNumberFloatType:
	case kCFNumberDoubleType: case kCFNumberCGFloatType:
		return 0;
	default:
		return -1;
	}
}

static bool is_float32(CFNumberType t)
{
	return t == kCFNumberFloat32Type || t == kCFNumberFloatType;
}

CF_EXPORT_SYM CFNumberRef CFNumberCreate(CFAllocatorRef allocator, CFNumberType theType,
					 const void *valuePtr)
{
	int size = int_size(theType);
	struct __CFNumber *n;

	(void)allocator;
	if (size < 0 || !valuePtr || !(n = cf_object_new(CF_TYPE_NUMBER, sizeof(*n))))
		return NULL;
	switch (size) {
	case 1: n->i = *(const int8_t *)valuePtr; break;
	case 2: n->i = *(const int16_t *)valuePtr; break;
	case 4: n->i = *(const int32_t *)valuePtr; break;
	case 8: n->i = *(const int64_t *)valuePtr; break;
	default:
		n->is_float = true;
		n->d = is_float32(theType) ? *(const float *)valuePtr : *(const double *)valuePtr;
	}
	return n;
}

static Boolean store_int(int size, int64_t v, void *out)
{
	switch (size) {
	case 1: *(int8_t *)out = (int8_t)v; return v == (int8_t)v;
	case 2: *(int16_t *)out = (int16_t)v; return v == (int16_t)v;
	case 4: *(int32_t *)out = (int32_t)v; return v == (int32_t)v;
	default: *(int64_t *)out = v; return true;
	}
}

CF_EXPORT_SYM Boolean CFNumberGetValue(CFNumberRef number, CFNumberType theType, void *valuePtr)
{
	int size = int_size(theType);
	int64_t i;

	if (!cf_is(number, CF_TYPE_NUMBER) || size < 0 || !valuePtr)
		return false;
	if (size == 0) {
		double d = number->is_float ? number->d : (double)number->i;

		if (is_float32(theType)) {
			*(float *)valuePtr = (float)d;
			return (double)(float)d == d || isnan(d);
		}
		*(double *)valuePtr = d;
		return number->is_float || (int64_t)d == number->i;
	}
	if (!number->is_float)
		return store_int(size, number->i, valuePtr);
	if (!(number->d >= -9223372036854775808.0 && number->d < 9223372036854775808.0)) {
		store_int(size, number->d < 0 ? INT64_MIN : INT64_MAX, valuePtr);
		return false;
	}
	i = (int64_t)number->d;
	return store_int(size, i, valuePtr) && (double)i == number->d;
}

CF_EXPORT_SYM Boolean CFNumberIsFloatType(CFNumberRef number)
{
	return cf_is(number, CF_TYPE_NUMBER) && number->is_float;
}
