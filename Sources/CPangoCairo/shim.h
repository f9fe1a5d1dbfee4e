// cairo + pango (Debian: libcairo2-dev, libpango1.0-dev), used by FundRender's PDF renderer.
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>
