"""A generated plan with many actions in the seed's text-export layout (for speed tests)."""

from __future__ import annotations

HEADER = [
    "",
    "Veprimi",
    "Afati i fundit",
    "2025",
    "2026",
    "2027",
    "Financimi",
    "Institucioni udhëheqës dhe mbështetës",
    "Produkti (Output)",
    "Referenca në dokumente",
]


def _row(cells: list[str]) -> str:
    return "\n".join("\t" + c for c in cells) + "\n"


def big_plan_text(n_actions: int, *, per_objective: int = 25) -> str:
    """A plan of ``n_actions`` actions under 2 strategic objectives."""
    n_specific = max(1, -(-n_actions // per_objective))
    first_half = max(1, n_specific // 2)
    out = ["Plani Lokal i Veprimit për Mbrojtje nga Dhuna në Familje 2025-2027", ""]
    out.append(_row(["Nr.", "", "", "", "OBJEKTIVAT STRATEGJIKE DHE SPECIFIKE"]))
    made = 0
    for s in range(n_specific):
        roman, number = ("I", s + 1) if s < first_half else ("II", s + 1 - first_half)
        if number == 1:
            title = "Parandalimi" if roman == "I" else "Mbrojtja"
            out.append(_row([roman, "Objektivat strategjike dhe specifike", "", "", "", title]))
            out.append(_row(HEADER))
        spec = f"{roman}.{number}"
        out.append(
            _row(["Nr.", "Objektivat strategjike dhe specifike", "", "", "", f"Objektivi {spec}"])
        )
        for a in range(min(per_objective, n_actions - made)):
            made += 1
            out.append(
                _row(
                    [
                        f"{spec}.{a + 1}",
                        f"Organizimi i takimit numër {made} për mbrojtjen nga dhuna në familje",
                        "2025-2027",
                        "1 000",
                        "1.000",
                        "",
                        "Komuna",
                        "Komuna\nQPS",
                        f"Raport i takimit {made}",
                        "Ligji nr. 08/L-185",
                    ]
                )
            )
    return "\n".join(out) + "\n"
