#!/usr/bin/env bash
# A kept page (cgi-bin/kept.h) is read again only when its version moves,
# and its version moves only through triggers: a column a kept statement
# reads that no trigger watches would leave the page stale when another
# program changes it. This ties them together, from the sources:
#   - the kept statements: every page file that calls kept_get, from its
#     struct kept_key (whose second member names the version) to kept_put,
#     its SQL with the #defines it uses expanded;
#   - the triggers: schema/triggers/*.sql, each trigger's table, event,
#     the columns its guards compare (NEW.x <=> OLD.x, NEW.x <> OLD.x; no
#     comparison: every column), the tables it writes, and the versions it
#     moves (V = V + 1, or t.V = t.V + 1), directly or through a trigger on a table it writes.
# For each kept statement, each table.column it reads (its alias resolved)
# must be watched by an AFTER UPDATE trigger on that table that moves the
# page's version; a table with no such trigger of its own must be a copy
# written only by triggers (agent_leads), each of which has, on its table
# and event, a trigger moving the version that watches what it watches.
# Primary key columns (a row's identity, from MariaDB) are not compared.
. "$REPO/tests/e2e/lib.sh"

pk=$(sql "SELECT CONCAT(TABLE_NAME, '.', COLUMN_NAME) FROM information_schema.KEY_COLUMN_USAGE
	  WHERE TABLE_SCHEMA = DATABASE() AND CONSTRAINT_NAME = 'PRIMARY'" | tr '\n' ' ')
check "the primary keys are read from MariaDB" test -n "$pk"

KEPT_SRC=${KEPT_SRC:-$REPO/cgi-bin} KEPT_TRIGGERS=${KEPT_TRIGGERS:-$REPO/schema/triggers} PK="$pk" \
T_NAME="$T_NAME" perl -e '
use strict; use warnings;
my ($src, $tdir) = ($ENV{KEPT_SRC}, $ENV{KEPT_TRIGGERS});
my %pk = map { $_ => 1 } split " ", $ENV{PK};
# the version each kept_key names, as the column its triggers move
my %version = (list_version => "list_version", people_version => "people");
my @out;
sub ok { push @out, "ok - $ENV{T_NAME}: $_[0]" }
sub not_ok { push @out, "not ok - $ENV{T_NAME}: $_[0]" }
sub slurp { local $/; open my $f, "<", $_[0] or die "$_[0]: $!"; my $s = <$f>; close $f; $s }

# ---- the triggers
my (@trig, %by_table);
for my $file (sort glob "$tdir/*.sql") {
	my $s = slurp($file);
	$s =~ s/--[^\n]*//g;
	for my $part (split /(?=CREATE OR REPLACE TRIGGER)/i, $s) {
		next unless $part =~ /^CREATE OR REPLACE TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(INSERT|UPDATE|DELETE)\s+ON\s+(\w+)/i;
		my %t = (name => $1, timing => uc $2, event => uc $3, table => $4, body => $part);
		my %w;
		$w{$1} = 1 while $part =~ /NEW\.(\w+)\s*(?:<=>|<>)\s*OLD\.\1\b/g;
		$t{watch} = %w ? \%w : undef;   # undef: every column
		my %writes;
		$writes{$1} = 1 while $part =~ /\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+(\w+)/gi;
		delete $writes{$t{table}};
		$t{writes} = \%writes;
		my %moves;
		$moves{$1} = 1 while $part =~ /\b(?:\w+\.)?(\w+)\s*=\s*(?:\w+\.)?\1\s*\+\s*1\b/g;
		$t{moves} = \%moves;
		push @trig, \%t;
		push @{$by_table{$t{table}}}, \%t;
	}
}
ok("the trigger files hold triggers (" . scalar(@trig) . ")") if @trig; not_ok("the trigger files hold triggers") unless @trig;
# moves(T, V): T moves V, or writes a table with an INSERT or UPDATE trigger that does
sub moves { my ($t, $v, $depth) = @_;
	return 1 if $t->{moves}{$v};
	return 0 if ($depth // 0) > 4;
	for my $y (keys %{$t->{writes}}) {
		for my $u (@{$by_table{$y} || []}) {
			return 1 if $u->{event} ne "DELETE" && moves($u, $v, ($depth // 0) + 1);
		}
	}
	return 0;
}
sub watches { my ($t, $c) = @_; !defined $t->{watch} || $t->{watch}{$c} }

# ---- the kept statements
my %defs;
for my $h (glob("$src/*.h"), glob("$src/*.c")) {
	my $s = slurp($h);
	while ($s =~ /^#define\s+(\w+)\s+((?:[^\n]*\\\n)*[^\n]*)/mg) {
		my ($n, $v) = ($1, $2);
		$v =~ s/\\\n/ /g;
		$defs{$n} = $v if $v =~ /^\s*"/;
	}
}
# the string of adjacent literals and #defined strings starting at text
sub strings { my ($text) = @_;
	my (@all, $cur);
	while ($text =~ /\G(?:\s+|\/\*.*?\*\/)*(?:"((?:[^"\\]|\\.)*)"|\b([A-Z][A-Z0-9_]+)\b|(.))/gs) {
		if (defined $1) { $cur .= $1 }
		elsif (defined $2 && exists $defs{$2}) { $cur .= join "", strings($defs{$2}) }
		else { push @all, $cur if defined $cur; undef $cur }
	}
	push @all, $cur if defined $cur;
	return @all;
}
my $pages = 0;
for my $file (sort glob "$src/*.c") {
	next if $file =~ m{/kept\.c$};
	my $s = slurp($file);
	while ($s =~ /struct kept_key \w+ = \{\s*[^,]+,\s*[\w>.-]*?(\w+)\s*,(.*?)kept_put\(/gs) {
		my ($vfield, $region) = ($1, $2);
		$pages++;
		(my $where = $file) =~ s{.*/}{};
		my $v = $version{$vfield};
		unless ($v) { not_ok("$where: the kept version $vfield is known to this test"); next }
		my @sql = grep { /\bSELECT\b/ } strings($region);
		if (!@sql) { not_ok("$where: a kept SELECT is found"); next }
		for my $q (@sql) {
			my %alias;
			while ($q =~ /\b(?:FROM|JOIN)\s+(\w+)(?:\s+(?:AS\s+)?(\w+))?/gi) {
				my ($t, $a) = ($1, $2);
				$a = $t if !defined $a || $a =~ /^(ON|WHERE|LEFT|RIGHT|INNER|JOIN|GROUP|ORDER|LIMIT|UNION)$/i;
				$alias{$a} = $t;
			}
			my %cols;
			while ($q =~ /\b(\w+)\.(\w+)\b/g) {
				$cols{"$alias{$1}.$2"} = 1 if exists $alias{$1};
			}
			for my $tc (sort keys %cols) {
				my ($t, $c) = split /\./, $tc;
				next if $pk{$tc};
				my @own = grep { $_->{timing} eq "AFTER" && $_->{event} eq "UPDATE" && moves($_, $v) }
					@{$by_table{$t} || []};
				if (grep { watches($_, $c) } @own) {
					ok("$where ($v): $tc is watched");
					next;
				}
				if (@own) {
					not_ok("$where ($v): $tc is read, but no trigger on $t that moves $v watches it");
					next;
				}
				# a copy: every trigger writing it has a partner moving v on its table and event
				my @writers = grep { $_->{writes}{$t} } @trig;
				if (!@writers) {
					not_ok("$where ($v): $tc is read, and nothing on $t moves $v");
					next;
				}
				my @bad;
				for my $w (@writers) {
					my @mate = grep { $_->{event} eq $w->{event} && moves($_, $v) }
						@{$by_table{$w->{table}} || []};
					my $covered = grep { my $m = $_; !defined $m->{watch} ||
						(defined $w->{watch} && !grep { !$m->{watch}{$_} } keys %{$w->{watch}}) } @mate;
					push @bad, $w->{name} unless $covered;
				}
				if (@bad) { not_ok("$where ($v): $tc is a copy written by " . join(", ", @bad) .
					", whose changes move no $v") }
				else { ok("$where ($v): $tc is a copy, kept by triggers that move $v with it") }
			}
		}
	}
}
if ($pages >= 2) { ok("the kept pages are found ($pages)") } else { not_ok("the kept pages are found ($pages, want 2 or more)") }
print "$_\n" for @out;
'
