from modeltranslation.translator import TranslationOptions, register

from permits.models import DocumentKind, PermitType


@register(PermitType)
class PermitTypeTranslation(TranslationOptions):
    fields = ("name", "guidance", "fee_note", "competent_authority")


@register(DocumentKind)
class DocumentKindTranslation(TranslationOptions):
    fields = ("name", "description")
