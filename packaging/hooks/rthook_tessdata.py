"""Runtime hook of the frozen build: Tesseract's English data is in the build (tessdata/), so
`scan` finds it there unless TESSDATA_PREFIX already names a folder of the user's."""

import os
import sys

_bundled = os.path.join(getattr(sys, "_MEIPASS", ""), "tessdata")
if os.path.isfile(os.path.join(_bundled, "eng.traineddata")) and not os.environ.get("TESSDATA_PREFIX"):
    os.environ["TESSDATA_PREFIX"] = _bundled
