from django.urls import path

from kinplan.permanent_care import views

app_name = "permanent_care"

PC = "cases/<int:pk>/permanent-care"
ARR = f"{PC}/<int:arr_pk>"

urlpatterns = [
    path("permanent-care/", views.waiting, name="waiting"),
    path(f"{PC}/start/", views.start, name="start"),
    path(f"{ARR}/", views.arrangement, name="arrangement"),
    path(f"{ARR}/letter.pdf", views.letter, name="letter"),
    path(f"{ARR}/referral/", views.referral_change, name="referral_change"),
    path(f"{ARR}/referral/send/", views.referral_send, name="referral_send"),
    path(f"{ARR}/allocate/", views.allocate, name="allocate"),
    path(f"{ARR}/discussions/", views.discussion_add, name="discussion_add"),
    path(f"{ARR}/dates/", views.dates_set, name="dates_set"),
    path(f"{ARR}/objectives/", views.objective_add, name="objective_add"),
    path(f"{ARR}/objectives/<int:objective_pk>/remove/", views.objective_remove, name="objective_remove"),
    path(f"{ARR}/objectives/<int:objective_pk>/edit/", views.objective_edit, name="objective_edit"),
    path(f"{ARR}/objectives/<int:objective_pk>/supports/", views.item_add, name="item_add"),
    path(f"{ARR}/supports/<int:item_pk>/edit/", views.item_edit, name="item_edit"),
    path(f"{ARR}/supports/<int:item_pk>/remove/", views.item_remove, name="item_remove"),
    path(f"{ARR}/universal-services/", views.universal_add, name="universal_add"),
    path(f"{ARR}/universal-services/<int:service_pk>/remove/", views.universal_remove, name="universal_remove"),
    path(f"{ARR}/agreement/", views.agreement_add, name="agreement_add"),
    path(f"{ARR}/ready-for-court/", views.ready_for_court, name="ready_for_court"),
    path(f"{ARR}/submit/", views.submit, name="submit"),
    path(f"{ARR}/decide/", views.decide, name="decide"),
    path(f"{ARR}/escalation/<int:rung>/", views.rung_record, name="rung_record"),
    path(f"{ARR}/follow-ups/<int:follow_up_pk>/", views.follow_up_record, name="follow_up_record"),
    path(f"{ARR}/reopen/", views.reopen, name="reopen"),
    path(f"{ARR}/withdraw/", views.withdraw, name="withdraw"),
    path(f"{ARR}/send/", views.send, name="send"),
    path(f"{ARR}/letter/sent/", views.letter_sent, name="letter_sent"),
    path(f"{ARR}/supports/<int:item_pk>/purchases/", views.purchase_add, name="purchase_add"),
    path(f"{ARR}/purchases/<int:purchase_pk>/deliveries/", views.delivery_add, name="delivery_add"),
    path(f"{ARR}/review/", views.review, name="review"),
    path(f"{ARR}/further-support/", views.further_support, name="further_support"),
]
