/* SPDX-License-Identifier: MIT */
/*
 * check-iosurface-cf - the CoreFoundation subset IOSurface's callers use:
 * reference counts through the type callbacks, CFSTR constants, number
 * conversions that report loss, dictionaries, arrays, type IDs.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include <CoreFoundation/CoreFoundation.h>
#include <IOSurface/IOSurface.h>

START_TEST(constant_strings)
{
	CFStringRef a = CFSTR("IOSurfaceWidth"), made;
	char buf[8];

	ck_assert_ptr_eq(a, CFSTR("IOSurfaceWidth"));   /* interned */
	CFRelease(a);                                   /* constants are never freed */
	ck_assert_int_eq(CFStringGetLength(a), 14);
	ck_assert(CFEqual(a, kIOSurfaceWidth));
	ck_assert_uint_eq(CFHash(a), CFHash(kIOSurfaceWidth));
	made = CFStringCreateWithCString(NULL, "IOSurfaceWidth", kCFStringEncodingUTF8);
	ck_assert(CFEqual(made, a));
	ck_assert_int_eq(CFGetRetainCount(made), 1);
	ck_assert(!CFStringGetCString(made, buf, sizeof(buf), kCFStringEncodingUTF8));
	CFRelease(made);
	ck_assert_ptr_null(CFStringCreateWithCString(NULL, "caf\xc3\xa9", kCFStringEncodingASCII));
	ck_assert_uint_eq(CFGetTypeID(a), CFStringGetTypeID());
}
END_TEST

START_TEST(numbers)
{
	int32_t i = 300;
	double d = 1.5, out_d;
	int8_t small;
	int64_t big;
	CFNumberRef n = CFNumberCreate(NULL, kCFNumberSInt32Type, &i), f;

	ck_assert(CFNumberGetValue(n, kCFNumberSInt64Type, &big));
	ck_assert_int_eq(big, 300);
	ck_assert(!CFNumberGetValue(n, kCFNumberSInt8Type, &small));    /* truncated */
	ck_assert(CFNumberGetValue(n, kCFNumberDoubleType, &out_d));
	ck_assert(!CFNumberIsFloatType(n));
	f = CFNumberCreate(NULL, kCFNumberDoubleType, &d);
	ck_assert(CFNumberIsFloatType(f));
	ck_assert(!CFNumberGetValue(f, kCFNumberSInt64Type, &big));     /* rounded */
	ck_assert_int_eq(big, 1);
	ck_assert(!CFEqual(n, f));
	ck_assert_ptr_null(CFNumberCreate(NULL, 99, &i));
	ck_assert_uint_eq(CFGetTypeID(n), CFNumberGetTypeID());
	ck_assert_uint_eq(CFGetTypeID(kCFBooleanTrue), CFBooleanGetTypeID());
	ck_assert(CFBooleanGetValue(kCFBooleanTrue) && !CFBooleanGetValue(kCFBooleanFalse));
	CFRelease(n);
	CFRelease(f);
}
END_TEST

START_TEST(dictionary_retains)
{
	CFMutableDictionaryRef d = CFDictionaryCreateMutable(NULL, 0, &kCFTypeDictionaryKeyCallBacks,
							     &kCFTypeDictionaryValueCallBacks);
	CFStringRef key = CFStringCreateWithCString(NULL, "k", kCFStringEncodingUTF8);
	int32_t one = 1, two = 2;
	CFNumberRef a = CFNumberCreate(NULL, kCFNumberSInt32Type, &one);
	CFNumberRef b = CFNumberCreate(NULL, kCFNumberSInt32Type, &two);

	CFDictionarySetValue(d, key, a);
	ck_assert_int_eq(CFGetRetainCount(key), 2);
	ck_assert_int_eq(CFGetRetainCount(a), 2);
	ck_assert_ptr_eq(CFDictionaryGetValue(d, CFSTR("k")), a);      /* found by value */
	CFDictionarySetValue(d, CFSTR("k"), b);                         /* replaces */
	ck_assert_int_eq(CFGetRetainCount(a), 1);
	ck_assert_int_eq(CFDictionaryGetCount(d), 1);
	CFDictionaryRemoveValue(d, key);
	ck_assert_int_eq(CFGetRetainCount(b), 1);
	ck_assert_int_eq(CFGetRetainCount(key), 1);
	ck_assert_ptr_null(CFDictionaryGetValue(d, key));
	CFDictionarySetValue(d, key, b);
	CFRelease(d);
	ck_assert_int_eq(CFGetRetainCount(b), 1);
	CFRelease(a);
	CFRelease(b);
	CFRelease(key);
}
END_TEST

START_TEST(dictionary_create_and_null_callbacks)
{
	const void *keys[] = { CFSTR("a"), CFSTR("b"), CFSTR("a") };
	const void *vals[] = { kCFBooleanTrue, kCFBooleanFalse, kCFBooleanFalse };
	CFDictionaryRef d = CFDictionaryCreate(NULL, keys, vals, 3, &kCFTypeDictionaryKeyCallBacks,
					       &kCFTypeDictionaryValueCallBacks);
	CFStringRef k = CFStringCreateWithCString(NULL, "a", kCFStringEncodingUTF8);
	CFMutableDictionaryRef raw;

	ck_assert_int_eq(CFDictionaryGetCount(d), 2);
	ck_assert_ptr_eq(CFDictionaryGetValue(d, CFSTR("a")), kCFBooleanFalse);     /* later wins */
	ck_assert_uint_eq(CFGetTypeID(d), CFDictionaryGetTypeID());
	CFRelease(d);
	/* NULL callbacks: no retain, keys compared by address. */
	raw = CFDictionaryCreateMutable(NULL, 0, NULL, NULL);
	CFDictionarySetValue(raw, k, kCFBooleanTrue);
	ck_assert_int_eq(CFGetRetainCount(k), 1);
	ck_assert_ptr_null(CFDictionaryGetValue(raw, CFSTR("a")));
	ck_assert_ptr_eq(CFDictionaryGetValue(raw, k), kCFBooleanTrue);
	CFRelease(raw);
	CFRelease(k);
}
END_TEST

START_TEST(arrays)
{
	CFStringRef s = CFStringCreateWithCString(NULL, "x", kCFStringEncodingUTF8);
	const void *vals[] = { s, kCFBooleanTrue };
	CFArrayRef a = CFArrayCreate(NULL, vals, 2, &kCFTypeArrayCallBacks);

	ck_assert_int_eq(CFArrayGetCount(a), 2);
	ck_assert_int_eq(CFGetRetainCount(s), 2);
	ck_assert_ptr_eq(CFArrayGetValueAtIndex(a, 0), s);
	ck_assert_ptr_null(CFArrayGetValueAtIndex(a, 2));
	ck_assert_uint_eq(CFGetTypeID(a), CFArrayGetTypeID());
	CFRelease(a);
	ck_assert_int_eq(CFGetRetainCount(s), 1);
	CFRelease(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("iosurface-cf");
	TCase *tc = tcase_create("cf");
	SRunner *r;
	int failed;

	tcase_add_test(tc, constant_strings);
	tcase_add_test(tc, numbers);
	tcase_add_test(tc, dictionary_retains);
	tcase_add_test(tc, dictionary_create_and_null_callbacks);
	tcase_add_test(tc, arrays);
	suite_add_tcase(s, tc);
	r = srunner_create(s);
	srunner_set_fork_status(r, CK_FORK);
	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
