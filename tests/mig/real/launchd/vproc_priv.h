/* vproc_priv.h - stand-in for launchd's header; nothing is needed from it. */
