#include <curses.h>

#include "ui.h"

const char *
ui_version(void)
{
	return curses_version();
}
