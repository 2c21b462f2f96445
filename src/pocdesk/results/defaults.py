"""The built-in reason taxonomy (admin-editable afterwards): code, English, 简体中文, Français."""

REASONS = [
    ("price", "Price", "价格", "Prix"),
    ("missing_capability", "Missing capability", "功能缺失", "Fonctionnalité manquante"),
    ("competitor", "Competitor chosen", "选择了竞争对手", "Concurrent retenu"),
    ("no_budget", "No budget", "没有预算", "Pas de budget"),
    ("no_decision", "No decision made", "未做决定", "Aucune décision prise"),
    ("timing", "Timing", "时机不对", "Calendrier"),
    ("no_sponsor", "No executive sponsor", "没有高层支持者", "Pas de sponsor exécutif"),
    ("technical_fit", "Technical results not met", "技术结果未达标",
     "Résultats techniques non atteints"),
    ("scope_change", "Project scope changed", "项目范围变更", "Périmètre du projet modifié"),
    ("relationship", "Relationship or trust", "客户关系或信任", "Relation ou confiance"),
    ("other", "Other", "其他", "Autre"),
]


def reasons_seed(model) -> None:
    """Write the taxonomy's missing reasons with `model`: the LossReason class, or migration
    0002's historical one (the migration and the demo's reseeding after a flush write the same
    rows)."""
    for position, (code, label_en, label_zh, label_fr) in enumerate(REASONS):
        model.objects.get_or_create(code=code, defaults={
            "label_en": label_en, "label_zh_hans": label_zh, "label_fr": label_fr,
            "position": position * 10})
