"""Prompt-injection detection: text in a document that tries to instruct the system.

Extraction never obeys document text, so this is about flagging (`prompt_injection`) for a
human, not about defence. Patterns cover de/en/nl/fr/es/zh and common chat-template markers.
"""
from __future__ import annotations

import re

_PATTERNS = [
    # English
    r"\b(?:ignore|disregard|forget|override|bypass)\b[^.\n]{0,40}\b(?:previous|prior|above|earlier|all|any|your)\b[^.\n]{0,30}"
    r"\b(?:instructions?|prompts?|rules?|guidelines|directions|context)\b",
    r"\byou are now\b[^.\n]{0,60}",
    r"\b(?:new|updated|system)\s+(?:instructions?|prompt)\s*:",
    r"\bsystem prompt\b",
    r"\b(?:set|change|make|update)\s+(?:all\s+|every\s+|the\s+)?(?:unit\s+)?prices?\s+(?:to|=)\s*[\d.,]+",
    r"\b(?:approve|accept|book)\s+(?:this|the)\s+order\s+(?:automatically|without (?:review|checks?))",
    r"\bdo not (?:flag|review|check|validate)\b[^.\n]{0,40}",
    r"\bact as (?:an?|the)\b[^.\n]{0,40}",
    r"\bas an ai\b|\blanguage model\b",
    # German
    r"\b(?:ignorier(?:e|en|t)?|vergiss|vergessen sie|missachte)\b[^.\n]{0,40}\b(?:vorherigen|bisherigen|obigen|alle|allen"
    r"|deine|ihre|eure|sämtliche)\b"
    r"[^.\n]{0,30}\b(?:anweisungen|anordnungen|regeln|instruktionen|vorgaben)\b",
    r"\b(?:setze|setzen sie|ändere|ändern sie)\s+(?:alle\s+)?(?:die\s+)?preise\s+auf\s*[\d.,]+",
    r"\bdu bist (?:jetzt|ab sofort)\b[^.\n]{0,40}",
    r"\bneue anweisung(?:en)?\s*:",
    r"\b(?:bestellung|auftrag)\s+(?:automatisch|ohne prüfung)\s+(?:freigeben|annehmen|genehmigen)",
    # Dutch
    r"\b(?:negeer|vergeet|omzeil)\b[^.\n]{0,40}\b(?:vorige|eerdere|bovenstaande|alle)\b[^.\n]{0,30}\b(?:instructies|opdrachten|regels)\b",
    r"\b(?:zet|stel)\s+(?:alle\s+)?(?:de\s+)?prijzen\s+(?:op|in op)\s*[\d.,]+",
    r"\bje bent nu\b[^.\n]{0,40}",
    # French
    r"\b(?:ignore[rz]?|oublie[rz]?|ne tenez pas compte)\b[^.\n]{0,40}\b(?:instructions?|consignes?|règles)\b"
    r"(?:[^.\n]{0,20}\b(?:précédentes?|antérieures?|ci-dessus)\b)?",
    r"\b(?:fixe[rz]?|mettre|mettez|passe[rz]?)\s+(?:tous\s+)?les\s+prix\s+à\s*[\d.,]+",
    r"\btu es maintenant\b[^.\n]{0,40}|\bvous êtes maintenant\b[^.\n]{0,40}",
    # Spanish
    r"\b(?:ignora|ignore|ignorar|olvida|olvide)\b[^.\n]{0,40}\b(?:instrucciones|indicaciones|reglas)\b"
    r"(?:[^.\n]{0,20}\b(?:anteriores|previas)\b)?",
    r"\b(?:establece|pon|ponga|fija|cambia)\s+(?:todos\s+)?los\s+precios\s+a\s*[\d.,]+",
    r"\bahora eres\b[^.\n]{0,40}",
    # Chinese
    r"(?:忽略|无视|忘记|忽视)[^。\n]{0,10}(?:之前|以上|先前|上述|所有)[^。\n]{0,6}(?:指令|指示|说明|规则|提示)",
    r"(?:将|把)?所有(?:的)?价格(?:都)?(?:设为|设置为|改为|改成)\s*[\d.,]+",
    r"你现在是[^。\n]{0,20}",
    r"系统提示",
    # Any language, verb after the object ("alle bisherigen Regeln außer Acht lassen", "alle regels negeren")
    r"\b(?:regeln|anweisungen|vorgaben|instruktionen|richtlinien|regels|instructies|opdrachten|richtlijnen"
    r"|rules|instructions|consignes|règles)\b[^.\n]{0,30}\b(?:au(?:ß|ss)er acht(?: lassen)?|ignorieren|missachten"
    r"|vergessen|nicht (?:mehr )?beachten|negeren|vergeten|buiten beschouwing|are void|no longer apply"
    r"|ne s'appliquent plus|sont annulées)",
    # booking without the human check: "ohne Freigabe … buchen", "book … without approval", "sans validation"
    r"\b(?:ohne|without|sans|zonder|sin)\s+(?:(?:vorherige|prior|préalable|voorafgaande)\s+)?(?:freigabe|prüfung|genehmigung"
    r"|kontrolle|approval|review|validation|checks?|verification|vérification|contrôle|approbation|goedkeuring"
    r"|controle|aprobación|revisión)\b[^.\n]{0,50}\b(?:buchen|verbuchen|erfassen|freigeben|annehmen|book|accept|approve"
    r"|process|enter|valider|enregistrer|saisir|accepter|comptabiliser|boeken|verwerken|accepteren|goedkeuren"
    r"|registrar|aceptar|contabilizar)",
    r"\b(?:buchen|verbuchen|freigeben|genehmig\w*|akzeptier\w*|book|accept|approve|process|valide[rz]?|enregistre[rz]?"
    r"|boek|verwerk|accepteer|keur)\b"
    r"[^.\n]{0,50}\b(?:ohne|without|sans|zonder|sin)\s+(?:freigabe|prüfung|genehmigung|kontrolle|approval|review"
    r"|validation|checks?|vérification|contrôle|goedkeuring|controle|aprobación|revisión)\b",
    # a zero price to be booked: "mit Preis 0,00 buchen", "book at zero cost", "prix de 0,00"
    r"\b(?:preis(?:e)?|prices?|prix|prijs(?:zen)?|precios?)\b[^.\n\d]{0,20}\b0(?:[.,]0{1,4})?\b(?![.,]?\d)"
    r"[^.\n]{0,15}\b(?:buchen|verbuchen|erfassen|book|set|enter|saisir|enregistrer|boeken|registrar)",
    r"\b(?:book|process|enter|accept)\b[^.\n]{0,30}\bat (?:zero|no) (?:cost|price|charge)",
    r"\b(?:bypass|skip|disable)\s+(?:all\s+)?(?:the\s+)?(?:validation|review|checks?|approval|verification)",
    r"\bdeveloper mode\b",
    # text addressed to the machine reading it: "ANWEISUNG AN DEN ASSISTENTEN:", "note to the AI:"
    r"\b(?:anweisung(?:en)?|hinweis|instructions?|note|message|instructies?|opdracht|consignes?|instrucci(?:ón|ones))"
    r"\s+(?:an|to|for|aan|voor|pour|à|para)\s+(?:den|die|das|the|de|het|l'|le|la|el)?\s*"
    r"(?:assistenten|assistant|ai|ki|llm|model|modell|bot|chatbot|agent|extraktor|extractor|system)\b",
    # chat-template markers
    r"<\|?(?:system|im_start|im_end|assistant)\|?>",
    r"\[/?INST\]",
    r"^\s*(?:system|assistant)\s*:",
    r"#{2,}\s*(?:instruction|system)",
]
_COMPILED = [re.compile(p, re.IGNORECASE | re.MULTILINE) for p in _PATTERNS]


def detect_injection(text: str | None) -> list[str]:
    """Phrases in the text that try to instruct an automated reader (empty list when clean)."""
    if not text:
        return []
    found: list[str] = []
    for pattern in _COMPILED:
        for match in pattern.finditer(text):
            phrase = re.sub(r"\s+", " ", match.group()).strip()
            if phrase and phrase not in found:
                found.append(phrase[:200])
    return found
