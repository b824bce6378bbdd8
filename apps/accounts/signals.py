from django.db.models.signals import post_delete
from django.dispatch import receiver

from apps.accounts.models import User
from apps.accounts.services import tokens_revoke


@receiver(post_delete, sender=User)
def _revoke_a_deleted_users_tokens(sender, instance, **kwargs) -> None:
    tokens_revoke(id_user=instance.pk)
