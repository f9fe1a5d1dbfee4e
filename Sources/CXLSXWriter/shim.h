// libxlsxwriter (Debian: libxlsxwriter-dev), used by FundRender's XLSX renderer.
#include <xlsxwriter.h>
