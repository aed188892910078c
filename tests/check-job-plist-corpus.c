/* SPDX-License-Identifier: MIT */
/*
 * check-job-plist-corpus.c - the corpus of 40 real launchd plists
 * (tests/data/corpus) with the outcome each must have.
 */
#include "job-plist.h"

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers/runner.h"

/*
 * The corpus (tests/data/corpus): 40 real plists, each with the outcome it must have.
 * All load except the SMJobBless helper, whose launchd plist names no
 * program (launchd takes it from the app bundle, which we do not have).
 * For the files that load, the label is checked too.
 */
static const struct {
	const char *file;
	const char *label;      /* NULL: must be refused with @reason */
	const char *reason;
} corpus[] = {
	{ "FreeRADIUS__freeradius-server__scripts__osx__org.freeradius.radiusd.plist", "org.freeradius.radiusd" },
	{ "Rockapela__uebersicht-launchagents__examples__launchagents__com.example.brew-autoupdate.plist", "com.example.brew-autoupdate" },
	{ "Tunnelblick__Tunnelblick__tunnelblick__LeaseWatch.plist", "net.tunnelblick.openvpn.leasewatch" },
	{ "apple-oss-distributions__DiskArbitration__DiskArbitrationAgent__com.apple.DiskArbitrationAgent.plist", "com.apple.DiskArbitrationAgent" },
	{ "apple-oss-distributions__Heimdal__packages__mac__com.apple.Kerberos.kcm.plist", "com.apple.Kerberos.kcm" },
	{ "apple-oss-distributions__Libnotify__notifyd__com.apple.notifyd.plist", "com.apple.notifyd" },
	{ "apple-oss-distributions__NFS__mount_nfs__com.apple.nfsconf.plist", "com.apple.nfsconf" },
	{ "apple-oss-distributions__OpenSSH__com.openssh.ssh-agent.plist", "com.openssh.ssh-agent" },
	{ "apple-oss-distributions__PowerManagement__pmconfigd__com.apple.powerd.plist", "com.apple.powerd" },
	{ "apple-oss-distributions__PowerManagement__swd__com.apple.powerd.swd.plist", "com.apple.powerd.swd" },
	{ "apple-oss-distributions__apache__org.apache.httpd.plist", "org.apache.httpd" },
	{ "apple-oss-distributions__bootp__dhcp6d.tproj__com.apple.dhcp6d.plist", "com.apple.dhcp6d" },
	{ "apple-oss-distributions__configd__SystemConfiguration.fproj__helper__com.apple.SCHelper.plist", "com.apple.SCHelper" },
	{ "apple-oss-distributions__configd__configd.tproj__com.apple.configd.plist", "com.apple.configd" },
	{ "apple-oss-distributions__eap8021x__eapolcfg_auth.tproj__com.apple.eapolcfg_auth.plist", "com.apple.eapolcfg_auth" },
	{ "apple-oss-distributions__launchd__SystemStarter__com.apple.SystemStarter.plist", "com.apple.SystemStarter" },
	{ "apple-oss-distributions__mDNSResponder__mDNSMacOSX__com.apple.dnsextd.plist", "com.apple.dnsextd" },
	{ "apple-oss-distributions__mDNSResponder__mDNSMacOSX__com.apple.mDNSResponderHelper.plist", "com.apple.mDNSResponderHelper.reloaded" },
	{ "apple-oss-distributions__ntp__org.ntp.ntpd.plist", "org.ntp.ntpd" },
	{ "apple-oss-distributions__postfix__Postfix.LaunchDaemons__com.apple.postfix.newaliases.plist", "com.apple.postfix.newaliases" },
	{ "apple-oss-distributions__postfix__Postfix.LaunchDaemons__com.apple.postfixsetup.plist", "com.apple.postfixsetup" },
	{ "apple-oss-distributions__syslog__newsyslog__com.apple.newsyslog.plist", "com.apple.newsyslog" },
	{ "apple-oss-distributions__system_cmds__atrun__com.apple.atrun.plist", "com.apple.atrun" },
	{ "apple-oss-distributions__system_cmds__dynamic_pager__com.apple.dynamic_pager.plist", "com.apple.dynamic_pager" },
	{ "apple-oss-distributions__xinetd__org.xinetd.xinetd.plist", "org.xinetd.xinetd" },
	{ "darlinghq__darling__src__private-frameworks__CoreSymbolication__resources__com.apple.coresymbolicationd.plist", "com.apple.coresymbolicationd" },
	{ "darlinghq__darling__src__shellspawn__org.darlinghq.shellspawn.plist", "org.darlinghq.shellspawn" },
	{ "erikberglund__SwiftPrivilegedHelper__SwiftPrivilegedHelperApplication__SwiftPrivilegedHelper__Helper-Launchd.plist",
	  NULL, "neither Program nor ProgramArguments is set" },
	{ "freebsd__openlaunchd__launchd__testing__StartInterval.plist", "com.apple.launchd.test.StartInterval" },
	{ "freebsd__openlaunchd__launchd__testing__signaldeath.plist", "com.apple.launchd.test.signaldeath" },
	{ "google__santa__Conf__com.google.santa.plist", "com.google.santa" },
	{ "ipfs__kubo__misc__launchd__io.ipfs.ipfs-daemon.plist", "io.ipfs.ipfs-daemon" },
	{ "lima-vm__socket_vmnet__launchd__io.github.lima-vm.socket_vmnet.plist", "io.github.lima-vm.socket_vmnet" },
	{ "log2timeline__plaso__test_data__plist__launchd.minimal.plist", "foo" },
	{ "macadmins__outset__Package__Library__LaunchDaemons__io.macadmins.Outset.boot.plist", "io.macadmins.Outset.boot" },
	{ "munki__munki__launchd__LaunchDaemons__com.googlecode.munki.managedsoftwareupdate-check.plist", "com.googlecode.munki.managedsoftwareupdate-check" },
	{ "osquery__osquery__tools__deployment__com.facebook.osqueryd.plist", "com.facebook.osqueryd" },
	{ "pkgdemon__freebsd-launchd-mach__overlays__System__Library__LaunchDaemons__com.apple.getty.plist", "com.apple.getty" },
	{ "postgres__postgres__contrib__start-scripts__macos__org.postgresql.postgres.plist", "org.postgresql.postgres" },
	{ "pqrs-org__Karabiner-Elements__src__apps__ServiceManager-Non-Privileged-Agents__LaunchAgents__org.pqrs.service.agent.Karabiner-Console-User-Server.plist", "org.pqrs.service.agent.Karabiner-Console-User-Server" },
};
#define N_CORPUS (sizeof(corpus) / sizeof(corpus[0]))

static int corpus_index(const char *name)
{
	size_t i;

	for (i = 0; i < N_CORPUS; i++)
		if (strcmp(corpus[i].file, name) == 0)
			return (int)i;
	return -1;
}

/* Load one corpus file, print its outcome and check it against the table. */
static void check_corpus_file(const char *dir, const char *name, bool *seen)
{
	struct job_spec *spec = NULL;
	struct plist_error err;
	char *path, msg[PLIST_ERROR_FORMAT_MAX];
	int i = corpus_index(name), rc;

	ck_assert_msg(i >= 0, "%s is not in the expected-outcome table", name);
	ck_assert_msg(!seen[i], "%s seen twice", name);
	seen[i] = true;
	ck_assert_int_gt(asprintf(&path, "%s/%s", dir, name), 0);
	rc = job_plist_load_file(path, &spec, &err, NULL, NULL);
	if (rc == 0) {
		printf("LOADED %s\n", name);
		ck_assert_msg(corpus[i].label, "%s loaded but must be refused", name);
		ck_assert_str_eq(spec->label, corpus[i].label);
		ck_assert_ptr_nonnull(job_spec_program(spec));
	} else {
		printf("REJECTED %s: %s\n", name, plist_error_format(&err, msg, sizeof(msg)));
		ck_assert_msg(!corpus[i].label, "%s refused: %s", name, msg);
		ck_assert_int_eq(rc, JOB_PLIST_E_INVALID);
		ck_assert_str_ne(err.reason, "");
		ck_assert_str_eq(err.reason, corpus[i].reason);
	}
	job_spec_free(spec);
	free(path);
}

static int cmp_names(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_plist(const struct dirent *d)
{
	size_t len = strlen(d->d_name);

	return len > 6 && strcmp(d->d_name + len - 6, ".plist") == 0;
}

START_TEST(test_corpus)
{
	const char *dir = getenv("BOOTSTRAPD_TEST_CORPUS");
	struct dirent **names;
	bool seen[N_CORPUS] = { false };
	int n, i;

	ck_assert_msg(dir != NULL, "BOOTSTRAPD_TEST_CORPUS is not set");
	n = scandir(dir, &names, is_plist, cmp_names);
	ck_assert_msg(n >= 0, "cannot open %s: %s", dir, strerror(errno));
	for (i = 0; i < n; i++) {
		check_corpus_file(dir, names[i]->d_name, seen);
		free(names[i]);
	}
	free(names);
	fflush(stdout);
	ck_assert_int_eq(n, (int)N_CORPUS);
	for (i = 0; i < (int)N_CORPUS; i++)
		ck_assert_msg(seen[i], "%s is missing from the corpus", corpus[i].file);
}
END_TEST

static Suite *job_plist_suite(void)
{
	Suite *s = suite_create("job-plist");
	TCase *tc = tcase_create("corpus");

	tcase_add_test(tc, test_corpus);
	suite_add_tcase(s, tc);
	return s;
}


int main(int argc, char **argv)
{
	return runner_main(job_plist_suite(), NULL, 0, argc, argv);
}
