/* SPDX-License-Identifier: MIT */
/*
 * plist-xml.c - libxml2 locked down: refuse while parsing.
 *
 * libxml2 builds its tree under SAX hooks that refuse what must never
 * reach memory: entity declarations, deep nesting, too many elements.
 * plist-xml-convert.c then checks the plist grammar on that tree.
 */
#include "plist-xml.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <libxml/SAX2.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>

#define _cleanup_(f) __attribute__((cleanup(f)))

static void xml_free_ctxtp(xmlParserCtxt **ctxt)
{
	if (*ctxt)
		xmlFreeParserCtxt(*ctxt);
}

static void stop(xmlParserCtxt *ctxt)
{
	/* xmlStopParser() alone leaves the partial document looking valid. */
	ctxt->wellFormed = 0;
	xmlStopParser(ctxt);
}

static void refuse_entity(xmlParserCtxt *ctxt, const xmlChar *name)
{
	/*
	 * Refused at the declaration, before any reference could expand it:
	 * this stops billion laughs and external entities (XXE) alike, and a
	 * plist has no use for entities.
	 */
	plist_fail(ctxt->_private, PLIST_E_ENTITY, xmlSAX2GetLineNumber(ctxt),
		   "entity declarations are not allowed (entity \"%s\")", name);
	stop(ctxt);
}

static void on_entity_decl(void *ctx, const xmlChar *name, int type,
			   const xmlChar *public_id, const xmlChar *system_id,
			   xmlChar *content)
{
	refuse_entity(ctx, name);
}

static void on_unparsed_entity_decl(void *ctx, const xmlChar *name,
				    const xmlChar *public_id,
				    const xmlChar *system_id,
				    const xmlChar *notation)
{
	refuse_entity(ctx, name);
}

static void on_start_element(void *ctx, const xmlChar *name,
			     const xmlChar *prefix, const xmlChar *uri,
			     int n_ns, const xmlChar **ns, int n_attrs,
			     int n_defaulted, const xmlChar **attrs)
{
	xmlParserCtxt *ctxt = ctx;
	struct plist_parse *p = ctxt->_private;

	/* Counted here so that a hostile document never becomes a big tree. */
	if (++p->depth > PLIST_MAX_DEPTH + 1) {
		plist_fail(p, PLIST_E_LIMIT, xmlSAX2GetLineNumber(ctxt),
			   "values nested deeper than %d levels", PLIST_MAX_DEPTH);
		stop(ctxt);
	} else if (++p->elements > PLIST_MAX_NODES) {
		plist_fail(p, PLIST_E_LIMIT, xmlSAX2GetLineNumber(ctxt),
			   "more than %d elements", PLIST_MAX_NODES);
		stop(ctxt);
	} else {
		xmlSAX2StartElementNs(ctx, name, prefix, uri, n_ns, ns,
				      n_attrs, n_defaulted, attrs);
	}
}

static void on_end_element(void *ctx, const xmlChar *name,
			   const xmlChar *prefix, const xmlChar *uri)
{
	xmlParserCtxt *ctxt = ctx;
	struct plist_parse *p = ctxt->_private;

	p->depth--;
	xmlSAX2EndElementNs(ctx, name, prefix, uri);
}

/* libxml2's errors land here instead of stderr; ctx is the parser context. */
static void on_xml_error(void *ctx, xmlError *e)
{
	xmlParserCtxt *ctxt = ctx;
	size_t len;

	if (e->level < XML_ERR_ERROR || !e->message)
		return;
	len = strlen(e->message);
	while (len && isspace((unsigned char)e->message[len - 1]))
		len--;
	plist_fail(ctxt->_private, PLIST_E_MALFORMED, e->line > 0 ? e->line : 0,
		   "%.*s", (int)len, e->message);
}

static void lock_down(xmlParserCtxt *ctxt, struct plist_parse *p)
{
	/*
	 * Never XML_PARSE_NOENT, _DTDLOAD, _DTDATTR, _DTDVALID or _HUGE: the
	 * DTD that real plists name in <!DOCTYPE> is never fetched, and
	 * libxml2's own size limits stay in force.
	 */
	xmlCtxtUseOptions(ctxt, XML_PARSE_NONET | XML_PARSE_NOERROR |
				XML_PARSE_NOWARNING | XML_PARSE_NOCDATA |
				XML_PARSE_BIG_LINES);
	ctxt->linenumbers = 1;
	ctxt->_private = p;
	ctxt->sax->serror = on_xml_error;
	ctxt->sax->entityDecl = on_entity_decl;
	ctxt->sax->unparsedEntityDecl = on_unparsed_entity_decl;
	ctxt->sax->startElementNs = on_start_element;
	ctxt->sax->endElementNs = on_end_element;
	/* Without loaders nothing external can be read, whatever the options. */
	ctxt->sax->externalSubset = NULL;
	ctxt->sax->resolveEntity = NULL;
}

/*
 * libxml2's encoding and I/O layers report some errors (an input that
 * iconv cannot convert) on its generic channel, stderr by default, not
 * through the parser context; the parse fails anyway and says why through
 * on_xml_error(), so these copies are dropped.
 */
static void drop_generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void parse_quietly(xmlParserCtxt *ctxt)
{
	xmlGenericErrorFunc saved = xmlGenericError;
	void *saved_ctx = xmlGenericErrorContext;

	xmlSetGenericErrorFunc(NULL, drop_generic_error);
	/* Its return value says less than wellFormed and p->rc together. */
	(void)xmlParseDocument(ctxt);
	xmlSetGenericErrorFunc(saved_ctx, saved);
}

int plist_xml_read(struct plist_parse *p, const char *buf, size_t len, xmlDoc **out)
{
	_cleanup_(xml_free_ctxtp) xmlParserCtxt *ctxt = NULL;

	if (len == 0)
		return plist_fail(p, PLIST_E_MALFORMED, 0, "empty document");
	xmlInitParser();
	ctxt = xmlCreateMemoryParserCtxt(buf, (int)len);
	if (!ctxt)
		return -ENOMEM;
	lock_down(ctxt, p);
	parse_quietly(ctxt);
	/* The tree is the caller's from here, whatever came of the parse. */
	*out = ctxt->myDoc;
	ctxt->myDoc = NULL;
	if (p->rc)
		return p->rc;
	if (!ctxt->wellFormed || !*out)
		return plist_fail(p, PLIST_E_MALFORMED, 0, "not well-formed XML");
	return 0;
}
