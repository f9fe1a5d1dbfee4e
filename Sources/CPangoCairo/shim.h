// pango (Debian: libpango1.0-dev) lays out and shapes text for FundRender's PDF renderer, which
// writes the PDF itself; HarfBuzz's subsetter (libharfbuzz-dev, pulled in by pango) cuts the
// embedded Noto Sans CJK down to the glyphs a document uses. cairo comes with pango's cairo font
// map.
#include <cairo.h>
#include <pango/pangocairo.h>
#include <hb.h>
#include <hb-ot.h>
#include <hb-subset.h>
