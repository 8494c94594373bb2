// Pass is an interface; this file anchors its vtable.
#include "passes/pass.h"
