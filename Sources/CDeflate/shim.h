// zlib (Debian: zlib1g-dev): deflate and CRC-32 for the PDF streams (FundRender) and the audit
// package's ZIP (FundExchange).
#include <zlib.h>
