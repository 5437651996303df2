from passerelle.activities.tallies import rebuild
from passerelle.core.management.base import DatabaseCommand


class Command(DatabaseCommand):
    help = (
        "Recount the tallies the network-wide pages read (organizations' and places' public "
        "activities, the ties between organizations) from the records, in one transaction: "
        "after a restore, or a change written to the database by hand."
    )

    def handle(self, *args, **options):
        rows = rebuild()
        self.stdout.write(
            "Tallies rebuilt: "
            + ", ".join(f"{count:,} {name}" for name, count in rows.items())
            + "."
        )
