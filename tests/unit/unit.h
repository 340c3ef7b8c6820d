/* Shared includes for the cmocka unit tests. */
#ifndef SMSDESK_UNIT_H
#define SMSDESK_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
