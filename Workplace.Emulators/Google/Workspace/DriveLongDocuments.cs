using System.Globalization;
using System.Text;

namespace Workplace.Emulators.Google.Workspace;

/// <summary>
/// The sample Drive's long documents, composed from structured facts so they stay deterministic: each runs well over
/// 4,000 words, and the telemetry export over Drive's 10 MB export limit.
/// </summary>
public static class DriveLongDocuments
{
    private sealed record Component(string Name, string Owner, string Purpose, string Interface, string Failure, string Question);

    private static readonly Component[] ConsoleComponents =
    [
        new("Fleet map", "Ines Zamora", "shows every Kestrel and Wren robot of a site on its floor plan, with battery, task and fault state refreshed every two seconds", "a WebSocket feed of position deltas from the telemetry gateway, with a full snapshot on reconnect", "a gateway restart makes every browser reconnect at once and ask for a full snapshot", "whether sites with more than 400 robots need server-side clustering of markers"),
        new("Mission planner", "Aditi Raman", "lets a site operator draw pick routes, charging windows and no-go zones, and publishes them to the robots as a signed mission bundle", "the missions REST API, which validates a bundle against the site map before it signs it", "a stale site map makes the validator refuse routes that are in fact safe", "how to let two operators edit the same site without losing each other's changes"),
        new("Alert inbox", "Mei-Lin Okafor", "collects robot faults, connectivity losses and safety stops into one queue that operators acknowledge and assign", "the NATS subject alerts.site.*, persisted in TimescaleDB for ninety days", "an alert storm during a network partition floods the inbox with duplicates", "whether acknowledgement should sync to the on-call pager or stay console-only"),
        new("Firmware rollout", "Jonah Whitlock", "stages Kestrel firmware to a canary group, watches its fault rate and then widens the rollout site by site", "the rollout service, which talks to the robots through the device gateway's update channel", "a canary that goes offline during the update is counted neither as healthy nor as failed", "how long a canary must run before the rollout widens automatically"),
        new("Site analytics", "Grace Mbeki-Larsen", "reports picks per hour, uptime and charging efficiency per site and per shift for customer success reviews", "nightly rollups in TimescaleDB continuous aggregates, exported to the data warehouse", "daylight saving changes shift a shift's boundaries and double-count an hour", "whether customers should get direct access to the analytics views"),
        new("User and role admin", "Rafael Quintero", "manages who at a customer site may view, operate or administer the fleet, with SSO through the customer's identity provider", "SCIM provisioning and OIDC sign-in, roles stored per site", "a customer who renames a group in their directory silently removes everyone's operator role", "how to show an administrator what a role change will do before it applies"),
        new("Audit log", "Zoë Ångström", "records every change an operator makes to missions, zones and robot settings, for safety investigations and SOC 2 evidence", "an append-only table with hash chaining, exposed read-only to customer administrators", "clock skew between console replicas orders two changes of the same second wrongly", "whether the audit log needs its own retention setting per customer"),
        new("Notification service", "Felix Amundsen", "sends e-mail, SMS and Slack messages for the alerts an operator subscribes to", "a queue consumer that batches messages per recipient every thirty seconds", "a provider outage backs up the queue and delivers stale alerts an hour late", "whether to drop alerts older than fifteen minutes instead of delivering them late"),
        new("Robot detail view", "Noor Haddad", "shows one robot's live camera, sensor health, recent missions and firmware history for remote diagnosis", "a WebRTC stream negotiated through the device gateway, plus the telemetry history API", "remote sites behind strict firewalls cannot open the WebRTC stream at all", "whether to fall back to a low-rate JPEG stream over HTTPS"),
        new("Integrations", "Kwame Asante", "connects the console to customers' warehouse management systems, so orders become missions without manual entry", "outbound webhooks and an inbound orders API with idempotency keys", "a warehouse system that retries without idempotency keys creates duplicate missions", "which two warehouse systems to certify first for the Northwind pilot"),
        new("Offline mode", "Lukas Meierhofer", "keeps a site running its last missions when the link to the cloud drops, and reconciles state when it returns", "the Heron edge controller, which caches the mission bundle and buffers telemetry", "a long outage fills the edge buffer and drops the oldest telemetry first", "how much telemetry a site must buffer to survive a full day offline"),
        new("Billing meter", "Desmond Achterberg", "counts active robots per site per day for usage-based invoicing", "a daily job over the telemetry heartbeats that writes usage records to the billing system", "a robot that reports a heartbeat from two sites during a move is billed twice", "whether a robot in maintenance should count as active"),
    ];

    private static readonly string[] Sections = ["Purpose", "Interfaces", "Failure modes", "Open questions"];

    /// <summary>Aditi's private design notes on the Fleet Console: twelve components, four sections each.</summary>
    public static string ConsoleArchitectureNotes()
    {
        var text = new StringBuilder();
        text.AppendLine("# Fleet Console architecture notes");
        text.AppendLine();
        text.AppendLine("*Aditi Raman, Engineering Manager, Console. Working notes, not yet reviewed by the architecture group.*");
        text.AppendLine();
        text.AppendLine("These notes walk through every component of the Fleet Console as it runs today, what each one is for, how it talks to the rest of the platform, how it fails, and what we have not decided yet. They complement the [fleet platform architecture](https://wiki.halcyon-robotics.example/engineering/architecture/fleet-platform) and ADR-0009 (NATS as the event bus).");
        text.AppendLine();
        text.AppendLine("## Component owners");
        text.AppendLine();
        text.AppendLine("| Component | Owner | Status |");
        text.AppendLine("|---|---|---|");
        foreach (var (component, i) in ConsoleComponents.Select((c, i) => (c, i)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {component.Name} | {component.Owner} | {(i % 3 == 0 ? "In production" : i % 3 == 1 ? "Beta" : "Design")} |");
        }
        text.AppendLine();
        foreach (var component in ConsoleComponents)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {component.Name}");
            text.AppendLine();
            foreach (var section in Sections)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"### {section}");
                text.AppendLine();
                text.AppendLine(section switch
                {
                    "Purpose" => $"The {component.Name.ToLowerInvariant()} {component.Purpose}. {component.Owner} owns it and decides what goes into it; changes that touch another component go through that component's owner first. Operators rely on it every shift, so we treat a regression here as a customer-facing incident even when no robot stops. The component has grown with every pilot site since Portland, and most of what it does today was asked for by an operator during a site visit rather than planned up front. We keep a short list of those requests with the name of the site that asked, so that we can go back and ask whether what we built actually helped.",
                    "Interfaces" => $"It works through {component.Interface}. Every call carries the site id and the operator's identity, and every response is scoped to that site: the console never shows one customer's robots to another. Timeouts are short on purpose, two seconds for reads and five for writes, because an operator looking at a stale screen is worse off than one looking at an error that says the data is late. We version the interface with the console release and keep the previous version running for one release, so that a rollback never strands a browser that loaded the new bundle.",
                    "Failure modes" => $"The failure we have seen most is that {component.Failure}. When it happens the console shows a banner naming the component and the time of the last good update, and the on-call engineer follows the [fleet console outage runbook](https://wiki.halcyon-robotics.example/engineering/runbooks/fleet-console-outage). We have a synthetic check for it in every region, and the check pages Mei-Lin's SRE rotation when it fails three times in a row. After each incident we add the shape of the failure to the chaos tests, so the next release is tested against it before it reaches a site.",
                    _ => $"We still need to decide {component.Question}. The decision belongs to {component.Owner}, with input from customer success, and we want it settled before the next pilot site goes live. Until then the current behaviour stays, and we note every customer conversation that touches the question in the console decision log so that the decision is made on evidence rather than on the loudest request.",
                });
                text.AppendLine();
            }
            text.AppendLine("- Dashboards: latency, error rate and saturation per site");
            text.AppendLine("- On-call: the SRE rotation, with the owner as escalation");
            text.AppendLine("- Review: quarterly, with the architecture group");
            text.AppendLine();
        }
        text.AppendLine("## Next steps");
        text.AppendLine();
        text.AppendLine("1. Review these notes with Tobias and the component owners in the March architecture review.");
        text.AppendLine("2. Turn each open question into an ADR with an owner and a date.");
        text.AppendLine("3. Share the failure modes with customer success so they can set expectations with pilot sites.");
        return text.ToString();
    }

    private sealed record Policy(string Title, string Summary, string Detail, string Contact);

    private static readonly Policy[] HandbookPolicies =
    [
        new("Working hours and flexibility", "Most roles at Halcyon Robotics work a flexible forty-hour week with core hours from 10:00 to 15:00 local time", "Teams that support customers or robots in the field agree a rota that covers their sites' working hours, published a month ahead", "your manager"),
        new("Remote and hybrid work", "Employees near Portland, Zurich or Austin work from the site at least two days a week; remote employees visit a site at least once a quarter", "Hardware, manufacturing and field service roles are site-based, because the work needs the robots and the test floor", "People Ops"),
        new("Paid time off", "Everyone has twenty-five days of paid time off a year, plus the public holidays of their country of employment", "Up to five unused days carry over to the first quarter of the next year; days beyond that expire on 31 March", "People Ops"),
        new("Parental leave", "Birth and non-birth parents receive sixteen weeks of fully paid leave, taken within the first year", "Leave may be split into up to three blocks, and a phased return of up to four weeks at reduced hours is paid in full", "Annika Brunner for Zurich, Tomasz Wrobel for the US"),
        new("Sick leave", "Take the time you need to recover; tell your manager on the first day and provide a doctor's note after five working days", "Long-term illness is handled with People Ops and, where the law provides one, the insurer, with your privacy protected", "People Ops"),
        new("Expenses and travel", "Book travel through the company travel tool and keep receipts for everything over 25 USD or 25 CHF", "Economy class for flights under six hours; premium economy above that; hotels within the city limits of the travel policy table", "Finance"),
        new("Equipment", "Every employee receives a laptop, a monitor and a headset; engineers may request a second monitor and a test rig", "Equipment remains company property and is returned within five working days of leaving", "Rafael Quintero, IT Lead"),
        new("Information security", "Use the company password manager, turn on two-factor sign-in everywhere and report a lost device within the hour", "Customer data and robot telemetry stay in approved systems; never copy them to personal storage or unapproved AI tools", "Zoe Angstrom, Head of Security"),
        new("Safety on the test floor", "Anyone entering the robot test floor completes the floor safety induction and wears safety shoes and a high-visibility vest", "Robots under test run inside marked zones; an emergency stop is within reach of every zone and anyone may press it", "Bartholomew Nakagawa, VP Operations"),
        new("Performance and growth", "We review performance twice a year, in March and September, against goals agreed with your manager", "Each review ends with a growth plan; every employee has a learning budget of 1,500 USD a year for courses, books and conferences", "your People Partner"),
        new("Compensation", "Salaries follow published bands per level and location, reviewed every year in April", "Equity is granted at hire and refreshed with promotions; the bands and the refresh rules are explained in the compensation guide", "Priya Castellanos, VP People"),
        new("Conduct and respect", "We expect everyone to treat colleagues, customers and partners with respect, and we do not tolerate harassment or discrimination", "Concerns can be raised with your manager, People Ops, or anonymously through the ethics line; retaliation is itself a breach of this policy", "People Ops or the ethics line"),
        new("Conflicts of interest", "Tell People Ops about outside work, investments in competitors or suppliers, and relatives who work for a customer", "Most disclosures need no action; where they do, we agree a plan together and write it down", "Idris Falconer, General Counsel"),
        new("Leaving Halcyon", "Give the notice your contract states; your manager and People Ops will plan the handover with you", "On your last day return equipment, hand over credentials through IT and keep confidential information confidential", "People Ops"),
    ];

    /// <summary>Priya's employee handbook (a PDF upload): fourteen policies with their why, how and who.</summary>
    public static string EmployeeHandbook()
    {
        var text = new StringBuilder();
        text.AppendLine("# Halcyon Robotics Employee Handbook 2026");
        text.AppendLine();
        text.AppendLine("Maintained by People Ops. Applies to all employees in the United States and Switzerland from 1 January 2026. Where local law gives you more, local law applies.");
        text.AppendLine();
        foreach (var (policy, i) in HandbookPolicies.Select((p, i) => (p, i + 1)))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {i}. {policy.Title}");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"{policy.Summary}. {policy.Detail}. Questions about this policy go to {policy.Contact}, who will answer within two working days.");
            text.AppendLine();
            text.AppendLine("### Why we have this policy");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"Halcyon Robotics builds robots that work next to people in warehouses, so we ask a great deal of each other: care with safety, honesty about problems, and the trust to let people organise their own work. The policy on {policy.Title.ToLowerInvariant()} exists so that everyone knows what they can rely on and what is expected of them, whichever site they work at and whoever their manager is. It was last reviewed by the leadership team in December 2025, after a survey in which employees in all three sites told us what worked and what did not. We changed the wording where people found it unclear and kept the substance where they told us it worked.");
            text.AppendLine();
            text.AppendLine("### How it works in practice");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"In practice, most questions about {policy.Title.ToLowerInvariant()} are settled between you and your manager in a one-to-one conversation. Write down what you agreed in the shared notes of your one-to-one, so that both of you can find it later and a new manager can pick it up if your team changes. If you and your manager cannot agree, or if the question touches pay, health or a legal obligation, bring in People Ops early: we would rather help with a small question now than untangle a large one later. Managers are trained on this policy during their first month in the role and again every two years.");
            text.AppendLine();
            text.AppendLine("### Examples");
            text.AppendLine();
            text.AppendLine(CultureInfo.InvariantCulture, $"- An engineer in Portland asks how the policy on {policy.Title.ToLowerInvariant()} applies during an on-call week; the answer is in the on-call guide, and the manager confirms it in writing.");
            text.AppendLine(CultureInfo.InvariantCulture, $"- A salesperson in Austin travels to a customer for a week; the policy applies as written, and the travel tool records the trip.");
            text.AppendLine(CultureInfo.InvariantCulture, $"- A new hire in Zurich has a question in their first week; their onboarding buddy points them to this section and to {policy.Contact}.");
            text.AppendLine();
        }
        text.AppendLine("## Contacts");
        text.AppendLine();
        text.AppendLine("| Topic | Contact | Site |");
        text.AppendLine("|---|---|---|");
        text.AppendLine("| People questions | Tomasz Wrobel | Portland |");
        text.AppendLine("| People questions, Switzerland | Annika Brunner | Zurich |");
        text.AppendLine("| Security | Zoe Angstrom | Portland |");
        text.AppendLine("| Safety on the test floor | Bartholomew Nakagawa | Portland |");
        return text.ToString();
    }

    /// <summary>A month of per-minute telemetry rollups from the pilot sites, as a Google Doc: over 10 MB as Markdown.</summary>
    public static string TelemetryExport()
    {
        var text = new StringBuilder(11_500_000);
        text.AppendLine("# Fleet telemetry export, February 2026");
        text.AppendLine();
        text.AppendLine("Per-minute rollups for the Northwind and Cascadia pilot sites, exported from TimescaleDB for the uptime investigation.");
        text.AppendLine();
        text.AppendLine("| Minute (UTC) | Site | Robot | Picks | Battery % | Faults |");
        text.AppendLine("|---|---|---|---|---|---|");
        var start = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        string[] sites = ["northwind-reno", "cascadia-tacoma"];
        for (var minute = 0; text.Length < 10_700_000; minute++)
        {
            for (var robot = 1; robot <= 4; robot++)
            {
                var seed = (minute * 7) + (robot * 13);
                text.Append(CultureInfo.InvariantCulture,
                    $"| {start.AddMinutes(minute):yyyy-MM-dd HH:mm} | {sites[robot % 2]} | kestrel-{robot:D3} | {seed % 9} | {100 - (minute % 80)} | {(seed % 97 == 0 ? 1 : 0)} |\n");
            }
        }
        return text.ToString();
    }
}
