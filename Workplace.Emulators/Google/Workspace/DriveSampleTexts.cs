namespace Workplace.Emulators.Google.Workspace;

/// <summary>The sample Drive's shorter documents, as Markdown (uploads are rendered from it).</summary>
public static class DriveSampleTexts
{
    public const string OneOnOneNotes = """
        1-1 notes: Aditi Raman and Ines Zamora
        =======================================

        2026-02-03
        - Mission planner beta: Ines wants two more pilot operators before GA. Agreed to ask Beatriz for the Cascadia contacts.
        - Ines is worried the alert inbox duplicates will reach the Northwind demo. I will pair with Mei-Lin on deduplication this sprint.
        - Career: Ines would like to run the next quarterly console review. Yes, with me as backup.

        2026-02-10
        - Northwind demo script drafted; Renata has edit access and will add the commercial part.
        - Ines asked whether offline mode is in scope for the pilot. Not for the demo; Lukas will present Heron separately.
        - Action: Aditi to book the Tacoma test floor for the dry run on 2026-02-26.

        2026-02-24
        - Dry run moved to Friday because the Tacoma floor is shut for the Kestrel firmware 4.2 rollout.
        - Ines finished the mission planner usability study: five operators, median time to draw a route went from 6 to 2 minutes.
        - Feedback for Ines: the study write-up was excellent; share it in the eng sync.
        """;

    public const string OldRoadmap = """
        # Console roadmap draft (superseded)

        This draft was replaced by the Q1 2026 planning document. Kept in the trash for reference only.

        ## Themes
        - Multi-site fleet map
        - Mission templates
        - Customer-facing analytics

        | Quarter | Theme | Status |
        |---|---|---|
        | Q4 2025 | Multi-site fleet map | Dropped |
        | Q1 2026 | Mission templates | Moved to planner |
        """;

    public const string NorthwindDemoScript = """
        # Northwind pilot demo script

        **Audience:** Northwind Logistics operations leadership (Reno distribution centre). **Date:** 27 February 2026. **Presenters:** Aditi Raman (console), Renata Vashti (commercial), Kwame Asante (integrations).

        ## Goals
        1. Show a Kestrel fleet picking live orders from Northwind's warehouse management system, end to end.
        2. Show how an operator handles a fault without leaving the Fleet Console.
        3. Agree the scope and success criteria of a twelve-week pilot.

        ## Run of show

        | Time | Segment | Presenter | Notes |
        |---|---|---|---|
        | 0:00 | Welcome and agenda | Renata | Keep it to five minutes |
        | 0:05 | Fleet map tour | Aditi | Tacoma test floor, 24 Kestrels |
        | 0:15 | Orders to missions | Kwame | Use the sandbox WMS with idempotency keys on |
        | 0:30 | Fault handling | Aditi | Trigger the staged e-stop in zone C |
        | 0:40 | Pilot proposal | Renata | Pricing per active robot per day |
        | 0:55 | Questions | All | |

        ## Fault handling segment
        Trigger the staged emergency stop in zone C. The alert arrives in the inbox within two seconds; assign it to the floor lead, open the robot detail view, show the camera, clear the stop and watch the robot resume its mission. If the WebRTC stream does not open, say so and fall back to the recorded clip; do not improvise.

        ## What not to promise
        - Offline mode (Heron) is not part of the pilot.
        - Custom analytics views are on the roadmap, not in the product.
        - No commitment to a go-live date before the pilot review.

        Background: [Northwind account plan](https://crm.halcyon-robotics.example/accounts/northwind) and the proposal in Renata's Drive.
        """;

    public const string PipelineReview = """
        # Q1 2026 pipeline review

        *Renata Vashti, VP Sales. Prepared for the leadership meeting of 3 March 2026.*

        ## Summary
        Qualified pipeline stands at 14.2 million USD against a target of 12 million, with Northwind Logistics and Cascadia Freight as the two largest opportunities. Win rate on closed opportunities this quarter is 31 percent, up from 24 percent in Q4, mostly because pilots now come with a fixed success plan.

        ## Top opportunities

        | Account | Stage | Value (USD) | Robots | Owner | Next step |
        |---|---|---|---|---|---|
        | Northwind Logistics | Pilot proposal | 3,400,000 | 120 Kestrel | Owen Delacroix | Demo 27 Feb |
        | Cascadia Freight | Pilot running | 2,900,000 | 90 Kestrel, 10 Wren | Owen Delacroix | Pilot review 15 Mar |
        | Meridian Foods | Discovery | 1,800,000 | 60 Kestrel | Renata Vashti | Site visit |
        | Alpenlogistik AG | Negotiation | 1,500,000 | 50 Kestrel | Beatriz Souto | Legal review |
        | Lone Star Grocers | Qualified | 900,000 | 30 Wren | Renata Vashti | Technical workshop |

        ## Risks
        - Northwind wants offline operation for their Reno site; Heron is not ready before Q3.
        - Alpenlogistik's legal team asks for data residency in Switzerland; Zürich hosting is planned but not contracted.
        - Two opportunities depend on the Wren 2 launch date, which Operations has not confirmed.

        ## Asks of the leadership team
        1. Approve a discounted pilot price for Cascadia's expansion to a second site.
        2. Confirm the Wren 2 launch quarter by the end of March.
        3. Fund a second solutions engineer for Austin (Kwame's team is at capacity).
        """;

    public const string NorthwindProposal = """
        # Proposal: Kestrel autonomous picking pilot for Northwind Logistics

        Prepared by Halcyon Robotics for Northwind Logistics, Reno distribution centre. Commercial contact: Renata Vashti, VP Sales.

        ## Scope
        A twelve-week pilot of 24 Kestrel robots in zones B and C of the Reno distribution centre, integrated with Northwind's warehouse management system through the Halcyon orders API, operated by Northwind staff through the Fleet Console with Halcyon field service on site for the first two weeks.

        ## Success criteria

        | Measure | Baseline | Pilot target |
        |---|---|---|
        | Picks per labour hour | 95 | 150 |
        | Order accuracy | 99.1% | 99.6% |
        | Robot uptime | n/a | 97% |
        | Safety incidents | 0 | 0 |

        ## Pricing
        - Pilot fee: 180,000 USD for twelve weeks, credited in full against a fleet contract signed within 60 days of the pilot review.
        - Fleet contract: 38 USD per active robot per day, including software, maintenance and field service.

        ## Timeline
        1. Weeks 1-2: site survey, map capture, WMS integration in the sandbox.
        2. Weeks 3-4: supervised operation in zone B.
        3. Weeks 5-12: full operation in zones B and C; weekly reviews.

        Halcyon Robotics, 2200 NW Front Avenue, Portland, OR.
        """;

    public const string SalesKickoff = """
        # Sales kickoff 2026 agenda

        Austin office, 4-5 February 2026. Owner: Renata Vashti. Shared with Engineering and People Ops for their sessions.

        ## Day 1: Where we are
        - 09:00 Welcome, 2025 in review (Renata Vashti)
        - 10:00 Product roadmap: Fleet Console and Kestrel 4.2 (Hana Kowalczyk-Reyes, Aditi Raman)
        - 11:30 Customer panel: Cascadia Freight
        - 14:00 Territory and quota plans by region
        - 16:00 New compensation plan walkthrough (Priya Castellanos)

        ## Day 2: How we win
        - 09:00 Pilot playbook: success plans that close
        - 10:30 Demo certification (every AE runs the standard demo on the Tacoma recording)
        - 13:00 Solutions engineering: integrations that customers ask for most (Kwame Asante)
        - 15:00 Awards and close

        ## Logistics

        | Item | Detail |
        |---|---|
        | Venue | Austin office, 3rd floor |
        | Hotel | Block booked until 15 January |
        | Dinner | Day 1, 19:00, South Congress |

        Questions to [sales-ops@halcyon-robotics.example](mailto:sales-ops@halcyon-robotics.example).
        """;

    public const string CompensationBands = """
        # Compensation bands 2026

        **Confidential: People Ops and the leadership team only.** Effective 1 April 2026. Owner: Priya Castellanos, VP People.

        ## How the bands work
        Each level has one band per location, set at the 50th to 75th percentile of the market data we buy each year. New hires join between the minimum and the midpoint; moving above the midpoint needs sustained performance at the level. Bands are reviewed every April.

        ## Engineering (USD, Portland and Austin)

        | Level | Title | Minimum | Midpoint | Maximum |
        |---|---|---|---|---|
        | E2 | Engineer | 118,000 | 134,000 | 150,000 |
        | E3 | Senior Engineer | 148,000 | 168,000 | 188,000 |
        | E4 | Staff Engineer | 182,000 | 206,000 | 230,000 |
        | M3 | Engineering Manager | 176,000 | 200,000 | 224,000 |

        ## Engineering (CHF, Zürich)

        | Level | Title | Minimum | Midpoint | Maximum |
        |---|---|---|---|---|
        | E2 | Engineer | 112,000 | 124,000 | 136,000 |
        | E3 | Senior Engineer | 134,000 | 149,000 | 164,000 |
        | E4 | Staff Engineer | 160,000 | 178,000 | 196,000 |

        ## Changes from 2025
        - Engineering bands up 4 percent in the US and 3 percent in Zürich.
        - A new E4 band in Zürich, for the Perception team's first staff role.
        - Sales on-target earnings are set in the commission plan, not here.
        """;

    public const string OnboardingChecklist = """
        # Engineering onboarding checklist

        For every new engineer at Halcyon Robotics. Owner: People Ops (Tomasz Wróbel), with Aditi Raman for Engineering.

        ## Before day one
        - [x] Laptop ordered and enrolled by IT (Rafael Quintero)
        - [x] Accounts: Google Workspace, GitHub, Slack, PagerDuty
        - [ ] Onboarding buddy assigned by the hiring manager

        ## Week one
        1. Floor safety induction on the Portland test floor (mandatory before touching a robot).
        2. Read the [fleet platform architecture](https://wiki.halcyon-robotics.example/engineering/architecture/fleet-platform) and ADR-0009 and ADR-0012.
        3. Ship a small change to the Fleet Console with your buddy.
        4. Shadow an on-call handoff.

        ## First month

        | Week | Goal | Who checks |
        |---|---|---|
        | 2 | Run the console locally against the simulator | Buddy |
        | 3 | Join the on-call rotation as secondary | SRE Lead |
        | 4 | First one-to-one career conversation | Manager |

        Questions: Tomasz Wróbel (People Ops) or your manager.
        """;

    public const string CommissionPlan = """
        # Sales commission plan FY2026

        Owner: Priya Castellanos (People Ops) with Renata Vashti (Sales). Applies to quota-carrying roles from 1 January 2026.

        ## Structure
        On-target earnings are split 60/40 between base salary and variable pay for Account Executives, and 75/25 for Customer Success Managers. Variable pay is paid quarterly on booked annual contract value.

        | Attainment | Rate |
        |---|---|
        | 0-50% | 0.5x |
        | 50-100% | 1.0x |
        | 100-150% | 1.5x |
        | Over 150% | 2.0x, capped at 250% of target |

        ## Pilots
        A paid pilot credits 10 percent of its fee to the account owner when it is signed, and the rest when the fleet contract follows within 60 days.

        ## Clawback
        Commission on a contract cancelled within six months is recovered from the next quarter's payout.
        """;

    public const string ReleaseProcess = """
        # Fleet Console release process

        Owner: Aditi Raman. Applies to every Fleet Console release; firmware follows the Kestrel firmware rollout process instead.

        ## Cadence
        The console ships every second Tuesday from main. A release branch is cut on the Thursday before, and only fixes for release blockers are cherry-picked onto it.

        ## Steps
        1. Cut `release/YYYY-MM-DD` from main on Thursday and post the changelog in #console-release.
        2. QA (Carlos Ibarra's team) runs the regression suite against the staging fleet in Tacoma.
        3. Monday: go/no-go in the console sync. Any open P1 blocks the release.
        4. Tuesday 15:00 Pacific: deploy to the canary region, watch error rates for one hour.
        5. Tuesday 16:00: deploy to all regions; announce in #customer-success.

        ## Rollback
        Roll back when the error rate doubles against the previous release or any site loses its fleet map. Rolling back is the previous image tag redeployed; the database migrations are always backwards compatible for one release.

        | Signal | Threshold | Action |
        |---|---|---|
        | 5xx rate | 2x previous release | Roll back |
        | Fleet map stale | Any site over 60 s | Roll back |
        | Alert inbox lag | Over 30 s | Page SRE, hold |

        See the [fleet console outage runbook](https://wiki.halcyon-robotics.example/engineering/runbooks/fleet-console-outage).
        """;

    public const string FieldServiceRunbook = """
        # Field service runbook

        For Halcyon field service engineers on customer sites. Owner: Bartholomew Nakagawa (Operations) with the Console team.

        ## Arriving on site
        1. Sign in with the customer's site security and collect a visitor badge.
        2. Check the Fleet Console's site view for open alerts before touching any robot.
        3. Put robots you will service into maintenance mode from the console, so they leave the mission queue and are not billed.

        ## Common faults

        | Fault code | Meaning | First action |
        |---|---|---|
        | K-201 | Drive motor over temperature | Let it cool 20 minutes, check the wheel for debris |
        | K-305 | Lidar occluded | Clean the lidar window, recalibrate from the console |
        | K-412 | Charging contact failure | Inspect the dock contacts, replace the spring kit |
        | W-118 | Wren gripper stall | Run the gripper self-test, replace the finger pads |

        ## Leaving site
        - Take robots out of maintenance mode and watch one full mission each.
        - Write the visit report in the console's robot history.
        - Tell the customer's floor lead what was done, in person.

        Escalation: the on-call SRE through PagerDuty, then Jonah Whitlock for firmware questions.
        """;

    public const string SafetyCertificationPlan = """
        # Kestrel safety certification plan

        Owner: Renata Vashti for the customer commitments, with Operations and Engineering. Target: certification before the Northwind fleet contract.

        ## Standards
        - ISO 3691-4 for driverless industrial trucks.
        - ANSI/RIA R15.08 for industrial mobile robots in the US.
        - EN ISO 13849-1 performance level d for the safety functions.

        ## Work packages

        | Package | Owner | Due |
        |---|---|---|
        | Hazard analysis update for Kestrel 4.2 | Jonah Whitlock | 2026-03-15 |
        | Safety-rated speed limiting tests | Carlos Ibarra | 2026-04-01 |
        | Notified body audit in Zurich | Bartholomew Nakagawa | 2026-05-10 |
        | Customer safety documentation | Renata Vashti | 2026-05-20 |

        ## Customer commitments
        Northwind and Cascadia require the certificate before any fleet larger than 50 robots. Alpenlogistik requires the CE declaration before the pilot.

        ## Risks
        1. The speed limiting tests need the Tacoma floor for two weeks during the Northwind dry runs.
        2. The notified body's audit slot may slip to June.
        """;
}
