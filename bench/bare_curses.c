/* bare_curses.c - the memory floor of a curses screen: a program linked
 * with ncursesw alone that sets the locale, starts curses as the console
 * does, draws one line and waits for a key. bench/console_bench starts it
 * beside the console. */
#include "config.h"

#include <curses.h>
#include <locale.h>

int main(void)
{
	setlocale(LC_ALL, "");
	initscr();
	raw();
	noecho();
	keypad(stdscr, TRUE);
	start_color();
	mvaddstr(0, 0, "bare curses ready");
	refresh();
	getch();
	endwin();
	return 0;
}
