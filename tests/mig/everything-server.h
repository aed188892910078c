/* everything-server.h - imported by the server side only (simport): the translations. */
#ifndef EVERYTHING_SERVER_H
#define EVERYTHING_SERVER_H

#define EVERYTHING_SERVER_IMPORTED 1

struct widget {
	int value;
};
typedef struct widget *widget_ref_t;

widget_ref_t widget_from_int(int v);
int widget_to_int(widget_ref_t w);
void widget_release(widget_ref_t w);

#endif
