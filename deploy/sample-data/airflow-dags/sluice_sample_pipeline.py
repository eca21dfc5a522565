"""A small sample pipeline for the Airflow that scripts/airflow-service.sh runs (Sluice's extended tests).

Daily, no catchup, paused at creation (the service runs no scheduler: the tests trigger runs through the
REST API, which queues them). Tasks: extract_orders >> transform_orders >> load_warehouse.
"""
from __future__ import annotations

import datetime

from airflow import DAG
from airflow.operators.python import PythonOperator


def _extract_orders(**_):
    return {"orders": 40, "amount": 10337.50}


def _transform_orders(ti=None, **_):
    extracted = ti.xcom_pull(task_ids="extract_orders") if ti else {"orders": 0}
    return {"orders": extracted["orders"], "status": "transformed"}


def _load_warehouse(ti=None, **_):
    transformed = ti.xcom_pull(task_ids="transform_orders") if ti else {"orders": 0}
    print(f"loaded {transformed['orders']} orders into the warehouse")


with DAG(
    dag_id="sluice_sample_pipeline",
    description="Sluice sample pipeline: extract orders, transform them, load the warehouse",
    schedule="@daily",
    start_date=datetime.datetime(2024, 1, 1),
    catchup=False,
    is_paused_upon_creation=True,
    tags=["sluice", "sample"],
    default_args={"owner": "sluice", "retries": 0},
) as dag:
    extract_orders = PythonOperator(task_id="extract_orders", python_callable=_extract_orders)
    transform_orders = PythonOperator(task_id="transform_orders", python_callable=_transform_orders)
    load_warehouse = PythonOperator(task_id="load_warehouse", python_callable=_load_warehouse)

    extract_orders >> transform_orders >> load_warehouse
