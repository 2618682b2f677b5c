// Test builds only (forced in with -include by libc.mk): renames every public libc
// symbol to spl_<name>, so host tests can link our libc beside glibc's and compare.
#ifndef LIBC_TEST_NAMES_H
#define LIBC_TEST_NAMES_H
#define memcpy spl_memcpy
#define memmove spl_memmove
#define memset spl_memset
#define memcmp spl_memcmp
#define memchr spl_memchr
#define strlen spl_strlen
#define strnlen spl_strnlen
#define strcmp spl_strcmp
#define strncmp spl_strncmp
#define strchr spl_strchr
#define strrchr spl_strrchr
#define strstr spl_strstr
#define strcpy spl_strcpy
#define strncpy spl_strncpy
#define snprintf spl_snprintf
#define vsnprintf spl_vsnprintf
#define strtol spl_strtol
#define strtoul spl_strtoul
#define strtoll spl_strtoll
#define strtoull spl_strtoull
#define strtoimax spl_strtoimax
#define strtoumax spl_strtoumax
#define abs spl_abs
#define labs spl_labs
#define llabs spl_llabs
#define qsort spl_qsort
#define abort spl_abort
#define errno spl_errno
#define isdigit spl_isdigit
#define isxdigit spl_isxdigit
#define isspace spl_isspace
#define isalpha spl_isalpha
#define isalnum spl_isalnum
#define isupper spl_isupper
#define islower spl_islower
#define isprint spl_isprint
#define ispunct spl_ispunct
#define iscntrl spl_iscntrl
#define toupper spl_toupper
#define tolower spl_tolower
#endif
