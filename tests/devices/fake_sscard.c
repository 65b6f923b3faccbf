/*
 * A stand-in for the ministry's card driver (SSCardDriver) for tests: exports
 *
 *     int iReadCardBas(int iType, char *pOutInfo);
 *
 * with the real signature, so VendorDriverCardReader loads and calls it through ctypes
 * exactly as it would the vendor's library. What it answers is chosen at call time by
 * the environment variable FAKE_SSCARD_MODE (see the table in fake_mode_answer below);
 * tests/devices/test_vendor_driver.py compiles it with `gcc -shared -fPIC`.
 *
 * Chinese text is written as GBK byte escapes so the file is plain ASCII and the bytes
 * do not depend on the compiler's source or execution character set. Each escape ends a
 * string literal ("\xFD" "|") because a hex escape would swallow a following hex digit.
 *
 * Also exported, for the tests' own checks: fake_calls(), fake_last_itype(),
 * fake_max_in_flight() (the most calls ever running at once) and fake_reset().
 */
#define _POSIX_C_SOURCE 200809L

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* GBK (GB18030) bytes of the holders' names. */
#define NAME_ZHANG_SAN "\xD5\xC5\xC8\xFD"                          /* 张三 */
#define NAME_AYGULI "\xB0\xA2\xD2\xC0\xB9\xC5\xC0\xF6\xA1\xA4" \
                    "\xC2\xF2\xC2\xF2\xCC\xE1"                     /* 阿依古丽·买买提 */
#define NAME_LIU_YAN "\xC1\xF5\xFE\x9F"                            /* 刘䶮 (䶮 not in GBK) */

/* 区划|社会保障号码|卡号|卡识别码|姓名|复位信息|规范版本|发卡日期|有效期|终端机编号|终端设备号| */
static const char SECOND_GEN[] =
    "110100|11010519491231002X|A00000001|110100D15600000500BF7C7A48FB4966|"
    NAME_ZHANG_SAN "|00814E43238697159900BF7C7A|2.00|20150101|20250101|"
    "000000000001|SN20150001|";
static const char THIRD_GEN[] =
    "440300|440304200002291535|M12345678|440300D156000005C38275EEFC9B9648|"
    NAME_AYGULI "|008C544CB386844403018593CA|3.00|20211203|20311202|"
    "000000000002|SN20210002|";
static const char RARE_NAME[] =
    "411600|411602198506154760|M23456789|411600D156000005C38275EEFC9B9649|"
    NAME_LIU_YAN "|008C544CB386844116018593CA|3.00|20220301|20320228|"
    "000000000003|SN20220003|";
/* Card number readable, holder withheld (no security module for personal data). */
static const char THIRD_GEN_NO_PERSONAL[] =
    "411600||M87654321|411600D156000005C38275EEFC9B9648||"
    "008C544CB386844116018593CA|3.00|20211203|20311202|||";
/* What some drivers return for a 3.00 card read without the issuer's security module. */
static const char THIRD_GEN_BLANK[] =
    "411600|||411600D156000005C38275EEFC9B9648||008C544CB386844116018593CA|3.00|"
    "20211203|20311202|";
/* 0xFF is never a valid byte in GBK or GB18030. */
static const char NOT_GBK[] =
    "110100|11010519491231002X|A00000001|110100D15600000500BF7C7A48FB4966|"
    "\xFF\xFE\xFF\xFE|00814E43238697159900BF7C7A|2.00|20150101|20250101|"
    "000000000001|SN20150001|";
static const char FEW_FIELDS[] = "110100|11010519491231002X|A00000001|";

static int calls;
static int last_itype = -1;
static int in_flight;
static int max_in_flight;

int fake_calls(void) { return __atomic_load_n(&calls, __ATOMIC_SEQ_CST); }
int fake_last_itype(void) { return __atomic_load_n(&last_itype, __ATOMIC_SEQ_CST); }
int fake_max_in_flight(void) { return __atomic_load_n(&max_in_flight, __ATOMIC_SEQ_CST); }

void fake_reset(void)
{
    __atomic_store_n(&calls, 0, __ATOMIC_SEQ_CST);
    __atomic_store_n(&last_itype, -1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&max_in_flight, 0, __ATOMIC_SEQ_CST);
}

static long env_long(const char *name, long fallback)
{
    const char *text = getenv(name);
    return text && *text ? strtol(text, NULL, 10) : fallback;
}

static void sleep_ms(long ms)
{
    struct timespec pause = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&pause, &pause) != 0) {
    }
}

/* Writes the answer of `mode` into out and returns the driver's return code. */
static int fake_mode_answer(const char *mode, char *out)
{
    if (strcmp(mode, "second_gen") == 0) {
        strcpy(out, SECOND_GEN);
    } else if (strcmp(mode, "third_gen") == 0) {
        strcpy(out, THIRD_GEN);
    } else if (strcmp(mode, "rare_name") == 0) {
        strcpy(out, RARE_NAME);
    } else if (strcmp(mode, "third_gen_no_personal") == 0) {
        strcpy(out, THIRD_GEN_NO_PERSONAL);
    } else if (strcmp(mode, "third_gen_blank") == 0) {
        strcpy(out, THIRD_GEN_BLANK);
    } else if (strcmp(mode, "no_card") == 0) {
        return -2;                                      /* 无卡 */
    } else if (strcmp(mode, "removed") == 0) {
        strcpy(out, "110100|1101");                     /* half an answer, then no reply */
        return -4;                                      /* 卡无应答 */
    } else if (strcmp(mode, "no_reader") == 0) {
        return -11;                                     /* 读卡器连接错 */
    } else if (strcmp(mode, "code") == 0) {
        /* Any return code (FAKE_SSCARD_CODE), with a plausible answer left in the buffer
         * that the caller must not use. */
        strcpy(out, SECOND_GEN);
        return (int)env_long("FAKE_SSCARD_CODE", -999);
    } else if (strcmp(mode, "not_gbk") == 0) {
        strcpy(out, NOT_GBK);
    } else if (strcmp(mode, "few_fields") == 0) {
        strcpy(out, FEW_FIELDS);
    } else if (strcmp(mode, "long") == 0) {
        /* A valid answer whose ATR field is FAKE_SSCARD_LEN hex digits long (default
         * 6000): far more than the 1024 bytes the ministry's samples allocate. */
        long atr_len = env_long("FAKE_SSCARD_LEN", 6000);
        char *p = out;
        p += sprintf(p, "110100|11010519491231002X|A00000001|"
                        "110100D15600000500BF7C7A48FB4966|" NAME_ZHANG_SAN "|");
        for (long i = 0; i < atr_len; i++)
            *p++ = "0123456789ABCDEF"[i % 16];
        strcpy(p, "|2.00|20150101|20250101|000000000001|SN20150001|");
    } else if (strcmp(mode, "fill") == 0) {
        /* FAKE_SSCARD_LEN bytes of 'A' and no terminating NUL, as a careless driver that
         * trusts the caller's buffer to be zeroed would write. */
        memset(out, 'A', (size_t)env_long("FAKE_SSCARD_LEN", 0));
    } else if (strcmp(mode, "slow") == 0) {
        /* A valid answer after FAKE_SSCARD_DELAY_MS (default 30 ms), to catch overlap. */
        sleep_ms(env_long("FAKE_SSCARD_DELAY_MS", 30));
        strcpy(out, SECOND_GEN);
    } else {
        return -999;                                    /* unset or unknown mode */
    }
    return 0;
}

int iReadCardBas(int iType, char *pOutInfo)
{
    const char *mode = getenv("FAKE_SSCARD_MODE");
    int now = __atomic_add_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
    int seen = __atomic_load_n(&max_in_flight, __ATOMIC_SEQ_CST);
    while (now > seen
           && !__atomic_compare_exchange_n(&max_in_flight, &seen, now, 0,
                                           __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
    }
    __atomic_add_fetch(&calls, 1, __ATOMIC_SEQ_CST);
    __atomic_store_n(&last_itype, iType, __ATOMIC_SEQ_CST);

    int code = fake_mode_answer(mode ? mode : "", pOutInfo);

    __atomic_sub_fetch(&in_flight, 1, __ATOMIC_SEQ_CST);
    return code;
}
