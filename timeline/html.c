/* placeholder */
#include "timeline_int.h"
